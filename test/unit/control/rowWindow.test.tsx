/**
 * The results grid's windowing: which rows are rendered for a scroll position, and keyboard
 * navigation that moves the window so the active tile is always in the DOM.
 */
import { render, screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { ROW_HEIGHT, ResultsGrid } from "../../../PhotoShelterAssetPicker/components/ResultsGrid";
import { StringsProvider } from "../../../PhotoShelterAssetPicker/components/Strings";
import { rowRange } from "../../../PhotoShelterAssetPicker/hooks/useRowWindow";
import { loadResx } from "../../support/pcfContext";
import { LAYOUT } from "../../support/setupControlTests";
import { makeAsset } from "./support/fakes";

const strings = loadResx();
const getString = (key: string) => strings[key] ?? key;

describe("rowRange", () => {
  it("renders the rows in view plus the overscan, clamped to the list", () => {
    expect(rowRange(0, 520, 212, 100, 2)).toEqual({ first: 0, last: 4 });
    expect(rowRange(2_000, 520, 212, 100, 2)).toEqual({ first: 7, last: 13 });
    expect(rowRange(99 * 212, 520, 212, 100, 2)).toEqual({ first: 97, last: 99 });
    expect(rowRange(0, 520, 212, 3, 2)).toEqual({ first: 0, last: 2 });
    expect(rowRange(0, 520, 212, 0, 2)).toEqual({ first: 0, last: -1 });
  });

  it("renders nothing but the first rows before the viewport has a height", () => {
    expect(rowRange(0, 0, 212, 100, 2)).toEqual({ first: 0, last: 1 });
  });
});

describe("results grid keyboard navigation over a window", () => {
  it("keeps the active tile rendered and scrolled into view as the arrows and End/Home move it", async () => {
    const items = Array.from({ length: 1_000 }, (_, n) => makeAsset(n));
    const onToggle = jest.fn();
    render(
      <StringsProvider value={getString}>
        <ResultsGrid
          items={items}
          total={items.length}
          hasMore={false}
          isLoadingMore={false}
          loadMore={() => undefined}
          width={LAYOUT.width}
          selectedIds={new Set()}
          linkedIds={new Set()}
          idPrefix="kb-"
          onToggle={onToggle}
          onExtend={() => undefined}
          onSelectAll={() => undefined}
          label="Search results"
        />
      </StringsProvider>,
    );
    const listbox = screen.getByRole("listbox");
    listbox.focus();
    const active = () => document.getElementById(listbox.getAttribute("aria-activedescendant") ?? "");

    await userEvent.keyboard("{End}");
    expect(listbox.getAttribute("aria-activedescendant")).toBe("kb-result-999");
    expect(active()).not.toBeNull();
    expect(listbox.scrollTop).toBe(200 * ROW_HEIGHT - LAYOUT.height);
    expect(screen.queryByRole("option", { name: /asset-0\b/ })).toBeNull();

    await userEvent.keyboard("{ArrowUp}{ArrowUp}{ArrowUp}{ArrowUp}");
    expect(listbox.getAttribute("aria-activedescendant")).toBe("kb-result-979");
    expect(active()).not.toBeNull();
    await userEvent.keyboard(" ");
    expect(onToggle).toHaveBeenCalledWith(979, items[979].id);

    await userEvent.keyboard("{Home}");
    expect(listbox.scrollTop).toBe(0);
    expect(active()?.getAttribute("aria-posinset")).toBe("1");
  });
});
