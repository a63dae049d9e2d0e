import { render, screen } from "@testing-library/react";
import { PhotoShelterAssetPicker } from "../../../PhotoShelterAssetPicker";
import { createContext, createDataset } from "../../support/pcfContext";

function rows(n: number) {
  return Array.from({ length: n }, (_, i) => ({ id: `00000000-0000-4000-8000-${String(i).padStart(12, "0")}`, values: { psh_name: `Asset ${i}` } }));
}

describe("PhotoShelterAssetPicker lifecycle", () => {
  it("init → updateView renders the header and the number of linked assets; destroy is safe", () => {
    const control = new PhotoShelterAssetPicker();
    const context = createContext({ dataset: createDataset(rows(3)) });
    control.init(context, jest.fn(), {});
    expect(context.mode.trackContainerResize).toHaveBeenCalledWith(true);

    const { unmount } = render(control.updateView(context));
    expect(screen.getByRole("heading", { name: "PhotoShelter assets" })).toBeInTheDocument();
    expect(screen.getByRole("status")).toHaveTextContent("3 linked assets");
    expect(control.getOutputs()).toEqual({});
    unmount();
    expect(() => control.destroy()).not.toThrow();
  });

  it("updates the count when the platform hands over a new dataset", () => {
    const control = new PhotoShelterAssetPicker();
    const context = createContext({ dataset: createDataset(rows(1)) });
    control.init(context, jest.fn(), {});
    const { rerender } = render(control.updateView(context));
    expect(screen.getByRole("status")).toHaveTextContent("1 linked asset");

    const next = createContext({ dataset: createDataset(rows(2), { totalResultCount: 120 }) });
    rerender(control.updateView(next));
    expect(screen.getByRole("status")).toHaveTextContent("120 linked assets");
  });

  it("says there are none, and asks to save an unsaved record first", () => {
    const control = new PhotoShelterAssetPicker();
    const saved = createContext();
    control.init(saved, jest.fn(), {});
    const { rerender } = render(control.updateView(saved));
    expect(screen.getByRole("status")).toHaveTextContent("No linked assets yet");

    const unsaved = createContext({ host: { entityTypeName: "account", entityId: "" } });
    rerender(control.updateView(unsaved));
    expect(screen.getByRole("status")).toHaveTextContent("Save the record to attach assets.");
  });

  it("gives two instances different id prefixes", () => {
    const a = new PhotoShelterAssetPicker();
    const b = new PhotoShelterAssetPicker();
    const context = createContext();
    a.init(context, jest.fn(), {});
    b.init(context, jest.fn(), {});
    expect(a.updateView(context).props.idPrefix).not.toEqual(b.updateView(context).props.idPrefix);
  });

  it("hands React.memo the same props objects while the platform's rows do not change", () => {
    const control = new PhotoShelterAssetPicker();
    const dataset = createDataset(rows(2));
    const context = createContext({ dataset });
    control.init(context, jest.fn(), {});
    const first = control.updateView(context).props;
    const again = control.updateView(createContext({ dataset })).props;
    expect(again.links).toBe(first.links);
    expect(again.services).toBe(first.services);
    expect(again.refresh).toBe(first.refresh);
    const changed = control.updateView(createContext({ dataset: createDataset(rows(3)) })).props;
    expect(changed.links).not.toBe(first.links);
    expect(changed.links).toHaveLength(3);
  });

  it("reads the profile and the user's rights into props: link type, create and delete", () => {
    const control = new PhotoShelterAssetPicker();
    const context = createContext({ host: { entityTypeName: "incident", entityId: "6f9a1c2e-0000-4000-8000-0000000000ab" }, privileges: ["create"] });
    control.init(context, jest.fn(), {});
    const props = control.updateView(context).props;
    expect(props).toMatchObject({ linkType: "evidence", canCreate: true, canDelete: false });
    const disabled = control.updateView(createContext({ disabled: true })).props;
    expect(disabled).toMatchObject({ linkType: "brand", canCreate: false, canDelete: false });
  });
});
