import { readHostRecord } from "../../../PhotoShelterAssetPicker/services/hostRecord";
import { createContext } from "../../support/pcfContext";

describe("readHostRecord", () => {
  it("reads a saved record from mode.contextInfo, normalizing the id", () => {
    const context = createContext({ host: { entityTypeName: "incident", entityId: "{6F9A1C2E-0000-4000-8000-0000000000AB}", entityRecordName: "Broken valve" } });
    expect(readHostRecord(context)).toEqual({ entityName: "incident", id: "6f9a1c2e-0000-4000-8000-0000000000ab", name: "Broken valve" });
  });

  it("reports an unsaved record with a null id (empty or all-zero id)", () => {
    expect(readHostRecord(createContext({ host: { entityTypeName: "account", entityId: "" } }))).toEqual({ entityName: "account", id: null, name: null });
    expect(readHostRecord(createContext({ host: { entityTypeName: "campaign", entityId: "{00000000-0000-0000-0000-000000000000}" } }))?.id).toBeNull();
  });

  it("falls back to context.page when mode.contextInfo is absent", () => {
    const context = createContext({ host: null }) as unknown as Record<string, unknown>;
    context.page = { entityTypeName: "campaign", entityId: "ABC" };
    expect(readHostRecord(context as never)).toEqual({ entityName: "campaign", id: "abc", name: null });
  });

  it("returns null without a context or outside a record form", () => {
    expect(readHostRecord(undefined)).toBeNull();
    expect(readHostRecord(null)).toBeNull();
    expect(readHostRecord(createContext({ host: null }))).toBeNull();
    expect(readHostRecord({ mode: { contextInfo: { entityTypeName: 42 } } } as never)).toBeNull();
  });
});
