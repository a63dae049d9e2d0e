/** The search count is exact once every page is in, and an upper bound less what the rights filter hid before that. */
import { resultCount } from "../../../PhotoShelterAssetPicker/hooks/useSearchResults";

const page = (items: number, total: number, hidden: number, hasMore: boolean) => ({ items: Array.from({ length: items }, () => null as never), total, hidden, hasMore });

describe("resultCount", () => {
  it("is exact when the last page is in: the items shown, whatever total said", () => {
    expect(resultCount([page(40, 50, 10, false)])).toEqual({ exact: true, count: 40, hidden: 10 });
    expect(resultCount([page(0, 12, 12, false)])).toEqual({ exact: true, count: 0, hidden: 12 });
    expect(resultCount([])).toEqual({ exact: true, count: 0, hidden: 0 });
  });

  it("is an upper bound before that: total less what the loaded pages hid", () => {
    const first = page(95, 1000, 5, true);
    expect(resultCount([first])).toEqual({ exact: false, count: 995, hidden: 5 });
    expect(resultCount([first, page(90, 1000, 10, true)])).toEqual({ exact: false, count: 985, hidden: 15 });
    expect(resultCount([first, page(90, 1000, 10, true), page(780, 1000, 20, false)])).toEqual({ exact: true, count: 965, hidden: 35 });
  });
});
