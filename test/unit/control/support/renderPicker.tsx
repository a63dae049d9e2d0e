import { render } from "@testing-library/react";
import type { Asset } from "../../../../contract/proxyApi";
import { PhotoShelterAssetPicker } from "../../../../PhotoShelterAssetPicker";
import type { TokenProvider } from "../../../../PhotoShelterAssetPicker/services/tokenProvider";
import { ContextOptions, FakeRow, createContext, createDataset } from "../../../support/pcfContext";
import { FakeLinkStore, FakeProxyClient, linkRow } from "./fakes";

export interface PickerOptions {
  /** The PhotoShelter library behind the fake proxy. */
  library?: Asset[];
  /** Assets already linked (rows stored from the asset as it is now). */
  linked?: Asset[];
  /** Rows as stored, when they should differ from the live assets. */
  rows?: FakeRow[];
  proxy?: FakeProxyClient;
  store?: FakeLinkStore;
  context?: Omit<ContextOptions, "dataset">;
  datasetLoading?: boolean;
  /** The platform has more rows than its first page. */
  datasetPaging?: { totalResultCount: number; hasNextPage: boolean };
}

/** The real control (index.ts → App) on a fake form, with fakes only at the proxy and Dataverse seams. */
export function renderPicker(options: PickerOptions = {}) {
  const linked = options.linked ?? [];
  const proxy = options.proxy ?? new FakeProxyClient(options.library ?? linked);
  const store = options.store ?? new FakeLinkStore();
  const tokens: TokenProvider & { signInInteractively: jest.Mock } = {
    getToken: async () => "token",
    invalidate: () => undefined,
    signInInteractively: jest.fn(async () => undefined),
  };
  const dataset = createDataset(options.rows ?? linked.map((asset) => linkRow(asset)), { loading: options.datasetLoading, ...options.datasetPaging });
  const context = createContext({ ...options.context, dataset });
  const control = new PhotoShelterAssetPicker({ proxy, links: store, tokens });
  control.init(context, jest.fn(), {});
  const view = render(control.updateView(context));
  /** The platform hands over new rows (after refresh()). */
  const showRows = (rows: FakeRow[]) => {
    const next = createContext({ ...options.context, dataset: createDataset(rows) });
    view.rerender(control.updateView(next));
    return next;
  };
  return { control, context, dataset, proxy, store, tokens, showRows, ...view };
}
