/**
 * What our solutions carry, derived from the data model: tables with their views, form layouts and
 * charts, the host forms with the picker, roles, the webhook, settings and the admin app. Names all
 * come from solution/model; which zip each piece goes into is decided in assemble.ts from the tables
 * it needs, never here.
 */
import {
  accessRule,
  automationEndpoint,
  automationSteps,
  assetLink,
  assetUsage,
  choices,
  collectionLink,
  coreTables,
  dataModel,
  environmentVariables,
  event,
  eventLookups,
  outOfBox,
  partnerGrant,
  publisher,
  signInRequest,
  type ChoiceDefinition,
  type ColumnDefinition,
  type EnvironmentVariableDefinition,
  type TableDefinition,
} from "../model";
import type { AppDefinition } from "./appModule";
import type { ChartDefinition } from "./charts";
import type { PackedControl } from "./control";
import type { HostFormDefinition, SubgridPlacement, TableFormLayout } from "./forms";
import { roleId, type RoleDefinition } from "./roles";
import { activeOnly, standardViews, viewId, type ViewDefinition } from "./views";
import type { WebhookEndpoint, WebhookStep } from "./webhooks";

/** The control's data-set and inputs the forms configure (checked against the manifest by the tests). */
const pickerInputs = { dataSetName: "assetLinks", profileInput: "profile" } as const;

const allTables = dataModel({ eventManagement: true });

function columnsOf(table: TableDefinition): ColumnDefinition[] {
  return Object.values(table.columns);
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
      description: "Active asset links whose rights are expiring, expired, restricted or retired, that are flagged for review, or automatic ones that no longer match their account.",
      queryType: 0,
      isDefault: false,
      columns: [...columns, c.needsReview.logicalName, c.noLongerMatches.logicalName],
      order: [{ attribute: c.expiresOn.logicalName, descending: false }],
      conditions: [activeOnly(assetLink)],
      anyOf: [
        { attribute: c.rightsStatus.logicalName, operator: "in", values: [status.expiring.value, status.expired.value, status.restricted.value, status.retired.value] },
        { attribute: c.needsReview.logicalName, operator: "eq", values: [1] },
        { attribute: c.noLongerMatches.logicalName, operator: "eq", values: [1] },
      ],
    },
    {
      key: "flaggedForReview",
      name: "Asset Links Flagged for Review",
      description: "Active asset links the automation flagged for review (ended campaign, retired product line), with why and whether PhotoShelter has the flag; clear Needs Review when done.",
      queryType: 0,
      isDefault: false,
      columns: [c.name, c.reviewReason, c.reviewStatus, c.rightsStatus, c.regardingKey, c.expiresOn, c.lastSyncedOn, c.source].map((column) => column.logicalName),
      order: [{ attribute: c.lastSyncedOn.logicalName, descending: true }],
      conditions: [activeOnly(assetLink), { attribute: c.needsReview.logicalName, operator: "eq", values: [1] }],
    },
  ];
}

/** Collection links with their sync status and last error, failures first, for the admin app. */
function collectionLinkViews(): ViewDefinition[] {
  const c = collectionLink.columns;
  return [
    {
      key: "bySyncStatus",
      name: "Collection Links by Sync Status",
      description: "Active collection links with their sync status, last sync and last error.",
      queryType: 0,
      isDefault: false,
      columns: [c.name, c.syncStatus, c.lastSyncedOn, c.lastError, c.containerKind, c.purpose, c.regardingKey].map((column) => column.logicalName),
      order: [{ attribute: c.syncStatus.logicalName, descending: true }, { attribute: c.lastSyncedOn.logicalName, descending: false }],
      conditions: [activeOnly(collectionLink)],
    },
  ];
}

const extraViews: Readonly<Record<string, () => ViewDefinition[]>> = {
  [assetLink.logicalName]: assetLinkViews,
  [collectionLink.logicalName]: collectionLinkViews,
};

function viewsOf(table: TableDefinition): ViewDefinition[] {
  return [...standardViews(table), ...(extraViews[table.logicalName]?.() ?? [])];
}

/** Tables whose rows people create by hand (in the admin app): they get a quick create form. */
const createdByPeople: ReadonlySet<string> = new Set([accessRule.logicalName, partnerGrant.logicalName]);

/** The main form's sections: the table's own columns in one section, unless a layout below says more. */
function defaultLayout(table: TableDefinition): TableFormLayout {
  const own = columnsOf(table).filter((column) => !column.system && column.type !== "primarykey" && column.type !== "state" && column.type !== "status" && column.type !== "owner");
  return { sections: [{ key: "details", label: "Details", columns: own }], quickCreate: createdByPeople.has(table.logicalName) };
}

/**
 * The access rule form explains each condition: one section per condition whose label says how it
 * matches (the column's description in the model), so an admin reads the rule as the proxy applies it.
 */
function accessRuleLayout(): TableFormLayout {
  const c = accessRule.columns;
  const conditions = [c.industry, c.region, c.tier, c.productLine, c.businessUnitId];
  return {
    sections: [
      { key: "rule", label: "Rule: an account matches when every condition that is set matches; every matching rule grants access", columns: [c.name, c.description, c.priority] },
      ...conditions.map((column) => ({ key: `condition_${column.logicalName}`, label: `${column.displayName}: ${column.description ?? ""}`, columns: [column] })),
      { key: "grants", label: `${c.containerIds.displayName}: ${c.containerIds.description ?? ""}`, columns: [c.containerIds] },
    ],
    quickCreate: createdByPeople.has(accessRule.logicalName),
  };
}

function layoutOf(table: TableDefinition): TableFormLayout {
  return table.logicalName === accessRule.logicalName ? accessRuleLayout() : defaultLayout(table);
}

/** Usage per month (core), and per campaign (needs the campaign lookup, so it lands in the Sales add-on). */
function chartsOf(table: TableDefinition): ChartDefinition[] {
  if (table.logicalName !== assetUsage.logicalName) return [];
  const c = assetUsage.columns;
  return [
    // Rows are per day: the month comes from the day's date column, grouped by month (psh_period is text, one bar per day).
    { table, key: "perMonth", name: "Asset Usage per Month", description: "Downloads and views of PhotoShelter assets per month.", groupBy: c.periodStart, dateGrouping: "month", sums: [c.downloads, c.views] },
    { table, key: "perCampaign", name: "Asset Usage per Campaign", description: "Downloads and views of PhotoShelter assets per campaign.", groupBy: c.campaignId, sums: [c.downloads, c.views] },
  ];
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

/** The host forms with the picker: Account, Case, Campaign and Event (Campaign and Event also show their collection). */
function hostForms(control: PackedControl): HostFormDefinition[] {
  return [
    hostForm(outOfBox.account, [assetsSection(control, assetLink.columns.accountId, "account")]),
    hostForm(outOfBox.incident, [assetsSection(control, assetLink.columns.incidentId, "case")]),
    hostForm(outOfBox.campaign, [assetsSection(control, assetLink.columns.campaignId, "campaign"), collectionSection(collectionLink.columns.campaignId)]),
    hostForm(event, [assetsSection(control, eventLookups.psh_assetlink.eventId, "event"), collectionSection(eventLookups.psh_collectionlink.eventId)]),
  ];
}

/**
 * PhotoShelter User: reads every asset link and collection link (a record's links are shared by
 * everyone who can open the record), creates, changes and deletes the links they own, and creates,
 * reads and deletes their own sign-in requests.
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
      // The sign-in proof: each user creates, reads and deletes only their own rows, and changes none.
      { table: signInRequest, access: { Create: "Basic", Read: "Basic", Delete: "Basic" } },
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


const adminRole = () => roles.find((candidate) => candidate.key === "admin") as RoleDefinition;

/**
 * The model-driven app *PhotoShelter Administration*: what admins maintain, without raw tables or
 * the Plugin Registration Tool: access rules and partner grants, collection links with their sync
 * status and last error, asset links flagged for review, usage with its charts, and the settings.
 */
function adminApp(): AppDefinition {
  const subArea = (table: TableDefinition, viewKey?: string) => ({
    id: `psh_${table.logicalName.replace(/^psh_/, "")}${viewKey ? `_${viewKey}` : ""}`,
    title: table.displayCollectionName.replace(/^PhotoShelter /, ""),
    table: table.logicalName,
    ...(viewKey ? { viewId: viewId(table, viewKey) } : {}),
  });
  const groups = [
    { id: "access", title: "Access", subAreas: [subArea(accessRule), subArea(partnerGrant)] },
    { id: "sync", title: "Sync", subAreas: [subArea(collectionLink, "bySyncStatus"), { ...subArea(assetLink, "flaggedForReview"), title: "Asset Links for Review" }] },
    { id: "usage", title: "Usage", subAreas: [subArea(assetUsage)] },
    { id: "settings", title: "Settings", subAreas: [{ id: "psh_settings", title: "Settings (environment variables)", table: "environmentvariabledefinition" }] },
  ];
  return {
    uniqueName: `${publisher.prefix}_PhotoShelterAdministration`,
    name: "PhotoShelter Administration",
    description: "Maintain PhotoShelter access rules, partner grants, collection and asset links, usage and settings.",
    area: { id: "photoshelter", title: "PhotoShelter" },
    groups,
    roleIds: [roleId(adminRole())],
    tables: [...new Set(groups.flatMap((group) => group.subAreas.map((area) => area.table)))],
  };
}

/** One table of ours with what its solutions carry besides the columns. */
export interface PlannedTable {
  table: TableDefinition;
  views: ViewDefinition[];
  layout: TableFormLayout;
  charts: ChartDefinition[];
}

/** Everything our solutions carry, before it is placed into the core or an add-on (assemble.ts). */
export interface Plan {
  /** Our tables, each with every column of the model (the Event lookups included). */
  tables: PlannedTable[];
  /** Microsoft's tables; the columns with an origin other than `outOfBox` are the ones we add. */
  microsoftTables: TableDefinition[];
  hostForms: HostFormDefinition[];
  roles: RoleDefinition[];
  /** Host forms are shown to these roles (ids), so the customer's own main forms stay first for everyone else. */
  hostFormRoles: string[];
  control: PackedControl;
  endpoint: WebhookEndpoint;
  steps: WebhookStep[];
  environmentVariables: EnvironmentVariableDefinition[];
  optionSets: ChoiceDefinition[];
  app: AppDefinition;
  description: string;
}

export function plan(control: PackedControl): Plan {
  const ours = new Set<string>(coreTables.map((table) => table.logicalName));
  return {
    tables: allTables.filter((table) => ours.has(table.logicalName)).map((table) => ({ table, views: viewsOf(table), layout: layoutOf(table), charts: chartsOf(table) })),
    microsoftTables: allTables.filter((table) => !ours.has(table.logicalName)),
    hostForms: hostForms(control),
    roles,
    hostFormRoles: roles.map(roleId),
    control,
    endpoint: automationEndpoint,
    steps: automationSteps(),
    environmentVariables: [...environmentVariables],
    optionSets: [...choices.globalChoices],
    app: adminApp(),
    description: publisher.description,
  };
}
