import { readFileSync } from "node:fs";
import { join } from "node:path";
import * as names from "../../../solution/model/names";
import {
  assetLink,
  choices,
  collectionLink,
  coreTables,
  dataModel,
  environmentVariables,
  eventLookups,
  lookupValueName,
  publisher,
  regardingKey,
  relationshipsOf,
  type ChoiceDefinition,
  type TableDefinition,
} from "../../../solution/model";

const allTables = dataModel({ eventManagement: true });
const ourChoices: ChoiceDefinition[] = [...choices.globalChoices];

describe("data model", () => {
  it("gives our choice options the publisher's option value prefix, unique within each choice", () => {
    for (const choice of ourChoices) {
      const values = Object.values(choice.options).map((option) => option.value);
      expect(new Set(values).size).toBe(values.length);
      for (const value of values) expect(Math.floor(value / 10000)).toBe(publisher.optionValuePrefix);
      expect(choice.name.startsWith(`${publisher.prefix}_`)).toBe(true);
    }
  });

  it("names every column we add with the prefix, and logical names are lower-cased schema names", () => {
    for (const table of allTables) {
      for (const column of Object.values(table.columns)) {
        expect(column.logicalName).toBe(column.schemaName.toLowerCase());
        const ours = column.origin === "core" || column.origin === "eventManagement" || (table.origin !== "outOfBox" && !column.system && !["statecode", "statuscode", "ownerid"].includes(column.logicalName));
        if (ours) expect(column.logicalName.startsWith("psh_")).toBe(true);
      }
    }
  });

  it("has unique logical names and entity set names, a primary key and primary name column present in each table", () => {
    const logical = allTables.map((t) => t.logicalName);
    const sets = allTables.map((t) => t.entitySetName);
    expect(new Set(logical).size).toBe(logical.length);
    expect(new Set(sets).size).toBe(sets.length);
    for (const table of allTables) {
      const names = Object.values(table.columns).map((c) => c.logicalName);
      expect(new Set(names).size).toBe(names.length);
      expect(names).toContain(table.primaryIdAttribute);
      expect(names).toContain(table.primaryNameAttribute);
      for (const key of table.alternateKeys) for (const column of key.columns) expect(names).toContain(column);
    }
  });

  it("keys links and usage by media id and record so every write can be an upsert", () => {
    expect(assetLink.alternateKeys[0].columns).toEqual([assetLink.columns.mediaId.logicalName, assetLink.columns.regardingKey.logicalName]);
    const usage = coreTables.find((t) => t.logicalName === "psh_assetusage") as TableDefinition;
    expect(usage.alternateKeys[0].columns).toEqual(["psh_mediaid", "psh_period", "psh_regardingkey"]);
  });

  it("keeps the core free of Event Management and adds the Event lookups only on request", () => {
    const core = dataModel({ eventManagement: false });
    expect(core.map((t) => t.logicalName)).not.toContain("msevtmgt_event");
    expect(relationshipsOf(core).some((r) => r.table === "msevtmgt_event")).toBe(false);
    const withEvents = relationshipsOf(dataModel({ eventManagement: true })).filter((r) => r.table === "msevtmgt_event");
    expect(withEvents.map((r) => r.referencingTable).sort()).toEqual(["psh_assetlink", "psh_collectionlink"]);
    expect(withEvents.every((r) => r.origin === "eventManagement")).toBe(true);
    expect(eventLookups.psh_assetlink.eventId.targets[0].navigationProperty).toBe("psh_EventId");
  });

  it("derives relationship and navigation property names the way the maker portal does", () => {
    const relationship = relationshipsOf(coreTables).find((r) => r.referencingTable === "psh_assetlink" && r.table === "account");
    expect(relationship).toMatchObject({
      relationshipName: "psh_account_psh_assetlink_AccountId",
      navigationProperty: "psh_AccountId",
      referencedNavigationProperty: "psh_account_psh_assetlink_AccountId",
      referencingAttribute: "psh_accountid",
      origin: "core",
    });
    expect(lookupValueName(assetLink.columns.accountId)).toBe("_psh_accountid_value");
    for (const table of ["account", "incident", "campaign", "opportunity"]) {
      expect(relationshipsOf(coreTables).some((r) => r.referencingTable === "psh_assetlink" && r.table === table)).toBe(true);
    }
  });

  it("normalizes the regarding key to <table>:<lowercase guid>", () => {
    expect(regardingKey("account", "{6F9A0000-AAAA-4BBB-8CCC-000000000001}")).toBe("account:6f9a0000-aaaa-4bbb-8ccc-000000000001");
  });

  it("defines the proxy base URL and token audience environment variables", () => {
    expect(environmentVariables.map((v) => v.schemaName)).toEqual(["psh_ProxyBaseUrl", "psh_ProxyTokenAudience"]);
  });

  it("lets the control import names and option values without the rest of the model", () => {
    const dir = join(__dirname, "../../../solution/model");
    const seen = new Set<string>();
    const visit = (file: string) => {
      if (seen.has(file)) return;
      seen.add(file);
      const source = readFileSync(join(dir, `${file}.ts`), "utf8");
      for (const [, target] of source.matchAll(/from "\.\/([A-Za-z]+)"/g)) visit(target);
      expect(source).not.toMatch(/from "(?!\.\/)/); // no packages, no files outside the model
    };
    visit("names");
    expect([...seen].sort()).toEqual(["names", "targets"]);
  });

  it("builds the full definitions on those names: every name and option value there is the model's", () => {
    const expectTable = (table: TableDefinition, tableNames: typeof names.assetLinkNames | typeof names.collectionLinkNames) => {
      expect([table.logicalName, table.schemaName, table.entitySetName, table.primaryIdAttribute, table.primaryNameAttribute]).toEqual([
        tableNames.logicalName,
        tableNames.schemaName,
        tableNames.entitySetName,
        tableNames.primaryIdAttribute,
        tableNames.primaryNameAttribute,
      ]);
      const columns = Object.values(allTables.find((candidate) => candidate.logicalName === table.logicalName)!.columns);
      for (const schemaName of Object.values(tableNames.columns)) expect(columns.find((column) => column.schemaName === schemaName)?.logicalName).toBe(names.logicalNameOf(schemaName));
      for (const lookup of Object.values(tableNames.lookups)) {
        const column = columns.find((candidate) => candidate.schemaName === lookup.schemaName);
        expect(column?.type === "lookup" && column.targets.map((target) => [target.table, target.navigationProperty])).toEqual([[lookup.target.logicalName, lookup.schemaName]]);
      }
    };
    expectTable(assetLink, names.assetLinkNames);
    expectTable(collectionLink, names.collectionLinkNames);
    const valuesOf = (choice: ChoiceDefinition) => Object.fromEntries(Object.entries(choice.options).map(([name, option]) => [name, option.value]));
    expect(valuesOf(choices.rightsStatus)).toEqual(names.rightsStatusValues);
    expect(valuesOf(choices.mediaType)).toEqual(names.mediaTypeValues);
    expect(valuesOf(choices.linkType)).toEqual(names.linkTypeValues);
    expect(valuesOf(choices.linkSource)).toEqual(names.linkSourceValues);
    expect(valuesOf(choices.syncStatus)).toEqual(names.syncStatusValues);
    for (const choice of choices.globalChoices) for (const option of Object.values(choice.options)) expect(option.label).not.toBe("");
    expect(environmentVariables.map((variable) => variable.schemaName)).toEqual(Object.values(names.environmentVariableNames));
  });
});
