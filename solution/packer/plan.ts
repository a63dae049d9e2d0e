/**
 * What goes into each solution, derived from the data model. Table, column, relationship and choice
 * names all come from solution/model; this file only decides placement (which solution, which form,
 * which view, which role, which webhook step).
 */
import {
  assetLink,
  choices,
  collectionLink,
  coreTables,
  dataModel,
  environmentVariables,
  event,
  eventLookups,
  outOfBox,
  publisher,
  relationshipsOf,
  solutions,
  type ColumnDefinition,
  type Relationship,
  type TableDefinition,
} from "../model";
import type { PackedControl } from "./control";
import type { SolutionContent, TableContent } from "./customizations";
import type { HostFormDefinition, SubgridPlacement } from "./forms";
import type { RoleDefinition } from "./roles";
import { activeOnly, standardViews, viewId, type ViewDefinition } from "./views";
import type { WebhookEndpoint, WebhookStep } from "./webhooks";

/** The control's data-set and inputs the forms configure (checked against the manifest by the tests). */
const pickerInputs = { dataSetName: "assetLinks", profileInput: "profile" } as const;

const allTables = dataModel({ eventManagement: true });
const schemaNames = new Map(allTables.map((table) => [table.logicalName, table.schemaName]));

function columnsOf(table: TableDefinition): ColumnDefinition[] {
  return Object.values(table.columns);
}

/** Custom 1:N relationships our lookups create (not the platform's createdby/owner ones). */
function customRelationships(tables: readonly TableDefinition[], origin: "core" | "eventManagement"): Relationship[] {
  return relationshipsOf(tables).filter((relationship) => {
    if (relationship.origin !== origin) return false;
    const table = tables.find((candidate) => candidate.logicalName === relationship.referencingTable);
    const column = table && columnsOf(table).find((candidate) => candidate.logicalName === relationship.referencingAttribute);
    return column?.type === "lookup" && !column.system;
  });
}

/** Asset-link views beyond the standard five: by rights status, and the ones that need attention. */
function assetLinkViews(): ViewDefinition[] {
  const c = assetLink.columns;
  const status = c.rightsStatus.choice.options;
  const columns = [c.rightsStatus, c.name, c.expiresOn, c.linkType, c.mediaType, c.usageRights, c.lastSyncedOn].map((column) => column.logicalName);
  return [
    {
      key: "byRightsStatus",
      name: "Asset Links by Rights Status",
      description: "Active asset links grouped by rights status, soonest expiry first.",
      queryType: 0,
      isDefault: false,
      columns,
      order: [{ attribute: c.rightsStatus.logicalName, descending: false }, { attribute: c.expiresOn.logicalName, descending: false }],
      conditions: [activeOnly(assetLink)],
    },
    {
      key: "needsAttention",
      name: "Asset Links Needing Attention",
      description: "Active asset links whose rights are expiring, expired, restricted or retired, or that are flagged for review.",
      queryType: 0,
      isDefault: false,
      columns: [...columns, c.needsReview.logicalName],
      order: [{ attribute: c.expiresOn.logicalName, descending: false }],
      conditions: [activeOnly(assetLink)],
      anyOf: [
        { attribute: c.rightsStatus.logicalName, operator: "in", values: [status.expiring.value, status.expired.value, status.restricted.value, status.retired.value] },
        { attribute: c.needsReview.logicalName, operator: "eq", values: [1] },
      ],
    },
  ];
}

function viewsOf(table: TableDefinition): ViewDefinition[] {
  return [...standardViews(table), ...(table.logicalName === assetLink.logicalName ? assetLinkViews() : [])];
}

function assetsSection(control: PackedControl, lookup: SubgridPlacement["lookup"], profile: string): SubgridPlacement {
  return {
    key: "photoshelter_assets",
    label: "PhotoShelter assets",
    table: assetLink,
    lookup,
    viewId: viewId(assetLink, "active"),
    control: { name: control.name, dataSetName: pickerInputs.dataSetName, staticInputs: { [pickerInputs.profileInput]: { type: "Enum", value: profile } } },
  };
}

function collectionSection(lookup: SubgridPlacement["lookup"]): SubgridPlacement {
  return { key: "photoshelter_collection", label: "PhotoShelter collection", table: collectionLink, lookup, viewId: viewId(collectionLink, "active") };
}

function hostForm(table: TableDefinition, sections: SubgridPlacement[]): HostFormDefinition {
  return {
    table,
    name: `${table.displayName} (PhotoShelter)`,
    description: `${table.displayName} form with the PhotoShelter asset picker.`,
    sections,
  };
}

/** Host forms of the core solution: Account, Case and Campaign (Campaign also shows its collection). */
function coreForms(control: PackedControl): HostFormDefinition[] {
  return [
    hostForm(outOfBox.account, [assetsSection(control, assetLink.columns.accountId, "account")]),
    hostForm(outOfBox.incident, [assetsSection(control, assetLink.columns.incidentId, "case")]),
    hostForm(outOfBox.campaign, [assetsSection(control, assetLink.columns.campaignId, "campaign"), collectionSection(collectionLink.columns.campaignId)]),
  ];
}

function eventForms(control: PackedControl): HostFormDefinition[] {
  return [hostForm(event, [assetsSection(control, eventLookups.psh_assetlink.eventId, "event"), collectionSection(eventLookups.psh_collectionlink.eventId)])];
}

/**
 * PhotoShelter User: reads every asset link and collection link (a record's links are shared by
 * everyone who can open the record) and creates, changes and deletes the links they own.
 * PhotoShelter Admin: everything on our tables, including access rules, partner grants and usage,
 * and the environment variable values that hold the settings.
 */
const roles: RoleDefinition[] = [
  {
    key: "user",
    name: "PhotoShelter User",
    grants: [
      { table: assetLink, access: { Read: "Global", Create: "Basic", Write: "Basic", Delete: "Basic", Append: "Basic" } },
      { table: collectionLink, access: { Read: "Global" } },
      { table: { schemaName: "EnvironmentVariableDefinition", ownershipType: "UserOwned" }, access: { Read: "Global" } },
      { table: { schemaName: "EnvironmentVariableValue", ownershipType: "UserOwned" }, access: { Read: "Global" } },
    ],
  },
  {
    key: "admin",
    name: "PhotoShelter Admin",
    grants: [
      ...coreTables.map((table) => ({
        table,
        access: { Create: "Global", Read: "Global", Write: "Global", Delete: "Global", Append: "Global", AppendTo: "Global", Assign: "Global", Share: "Global" } as const,
      })),
      { table: { schemaName: "EnvironmentVariableDefinition", ownershipType: "UserOwned" }, access: { Read: "Global" } },
      { table: { schemaName: "EnvironmentVariableValue", ownershipType: "UserOwned" }, access: { Create: "Global", Read: "Global", Write: "Global" } },
    ],
  },
];

/** The proxy's webhook receiver; the admin sets its real URL and authentication header after import. */
const automationEndpoint: WebhookEndpoint = {
  key: "automation",
  name: "PhotoShelter automation",
  description: "The PhotoShelter proxy's Dataverse webhook receiver (/hooks/dataverse). Set the URL and the HTTP header value after import.",
  url: "https://photoshelter-proxy.example.com/hooks/dataverse",
};

const names = (...columns: ColumnDefinition[]) => columns.map((column) => column.logicalName);

/**
 * What the automation reacts to: campaigns (S3, S5), account segments (S1, S2), won deals (S1) and
 * partner entitlements (S6). Updates carry the row before and after, so the proxy sees what changed.
 */
function coreWebhookSteps(): WebhookStep[] {
  const a = outOfBox.account.columns;
  const cp = outOfBox.campaign.columns;
  const o = outOfBox.opportunity.columns;
  const en = outOfBox.entitlement.columns;
  return [
    { table: outOfBox.campaign, message: "Create", postImage: true },
    { table: outOfBox.campaign, message: "Update", filteringAttributes: names(cp.name, cp.audience, cp.launchDate, cp.endDate, cp.statusCode, cp.stateCode, cp.ownerId), preImage: true, postImage: true },
    { table: outOfBox.account, message: "Update", filteringAttributes: names(a.industryCode, a.region, a.tier, a.productLines, a.customerTypeCode), preImage: true, postImage: true },
    { table: outOfBox.opportunity, message: "Update", filteringAttributes: names(o.stateCode), preImage: true, postImage: true },
    { table: outOfBox.entitlement, message: "Create", postImage: true },
    { table: outOfBox.entitlement, message: "Update", filteringAttributes: names(en.stateCode, en.endDate, en.startDate), preImage: true, postImage: true },
    { table: outOfBox.entitlement, message: "Delete", preImage: true },
  ];
}

/** Events create and update their PhotoShelter collection (S7). */
function eventWebhookSteps(): WebhookStep[] {
  return [
    { table: event, message: "Create", postImage: true },
    { table: event, message: "Update", preImage: true, postImage: true },
  ];
}

function extended(table: TableDefinition, columns: ColumnDefinition[], forms: HostFormDefinition[]): TableContent {
  return { table, shell: true, columns, views: [], forms: forms.filter((form) => form.table.logicalName === table.logicalName) };
}

/** The core solution: our tables, the columns we add to Microsoft's, forms, roles, control, settings, webhook. */
export function coreSolution(control: PackedControl): SolutionContent {
  const forms = coreForms(control);
  const created: TableContent[] = coreTables.map((table) => ({ table, shell: false, columns: columnsOf(table), views: viewsOf(table), forms: [] }));
  const microsoft = [outOfBox.account, outOfBox.incident, outOfBox.campaign, outOfBox.opportunity]
    .map((table) => extended(table, columnsOf(table).filter((column) => column.origin === "core"), forms))
    .filter((content) => content.columns.length > 0 || content.forms.length > 0);
  return {
    uniqueName: solutions.core.uniqueName,
    displayName: solutions.core.displayName,
    description: `${publisher.description}: asset links, collection links, access rules, partner grants, usage, the asset picker and its forms.`,
    tables: [...created, ...microsoft],
    relationships: customRelationships(coreTables, "core"),
    optionSets: [...choices.globalChoices],
    roles,
    control,
    webhook: { endpoint: automationEndpoint, shipEndpoint: true, steps: coreWebhookSteps() },
    environmentVariables: [...environmentVariables],
    schemaNames,
  };
}

/** The Event Management solution: Event lookups on our link tables, the Event form, the Event webhook steps. */
export function eventsSolution(control: PackedControl): SolutionContent {
  const withEvents = allTables.filter((table) => table.logicalName in eventLookups);
  const forms = eventForms(control);
  const lookups = (table: TableDefinition) => columnsOf(table).filter((column) => column.origin === "eventManagement");
  return {
    uniqueName: solutions.eventManagement.uniqueName,
    displayName: solutions.eventManagement.displayName,
    description: `${publisher.description}: Event lookups and the Event form (needs Event Management).`,
    tables: [...withEvents.map((table) => extended(table, lookups(table), [])), extended(event, [], forms)],
    relationships: customRelationships(withEvents, "eventManagement"),
    optionSets: [],
    roles: [],
    webhook: { endpoint: automationEndpoint, shipEndpoint: false, steps: eventWebhookSteps() },
    environmentVariables: [],
    schemaNames,
  };
}

