import * as React from "./platform/react";
import { Theme } from "@fluentui/react-components";
import { IInputs, IOutputs } from "./generated/ManifestTypes";
import { App, AppProps } from "./App";
import { ASSET_LINK_TABLE, LinkedAsset, linkedAssetsFrom } from "./domain/assetLinks";
import { linkedAssetCount } from "./domain/linkedCount";
import { effectiveProfile, linkTypeOf } from "./domain/profiles";
import { Services, createServices } from "./services/createServices";
import { deviceFiles } from "./services/device";
import { readHostRecord } from "./services/hostRecord";
import { stringsFrom } from "./services/strings";

let instanceCount = 0;

/** `hasEntityPrivilege` arguments (the platform's PrivilegeType / PrivilegeDepth numbers). */
const PRIVILEGE_CREATE = 1;
const PRIVILEGE_WRITE = 3;
const PRIVILEGE_DELETE = 4;
const DEPTH_BASIC = 0;

/** Thin adapter: PCF context in, typed props out. All behaviour lives in App and below. */
export class PhotoShelterAssetPicker implements ComponentFramework.ReactControl<IInputs, IOutputs> {
  private context: ComponentFramework.Context<IInputs>;
  /** The props that stay the same for the control's life (functions read the latest context). */
  private fixed: Pick<AppProps, "idPrefix" | "getString" | "services" | "formatDate" | "refresh" | "showMoreLinks" | "openUrl" | "formatNumber" | "openRecord" | "device">;
  /** The rows are re-read only when the platform hands over new ones, so React.memo keeps working. */
  private links: { records: unknown; ids: unknown; value: LinkedAsset[] } = { records: null, ids: null, value: [] };

  /** Tests and the workbench may pass their own seams; Dynamics uses the real ones. */
  constructor(private readonly overrides: Partial<Services> = {}) {}

  public init(context: ComponentFramework.Context<IInputs>, _notifyOutputChanged: () => void, _state: ComponentFramework.Dictionary): void {
    instanceCount += 1;
    this.context = context;
    // Each updateView hands over a new context: these functions read the latest one when called.
    const latest = () => this.context;
    this.fixed = {
      idPrefix: `psh-picker-${instanceCount}-`,
      getString: stringsFrom(context.resources, context.userSettings.languageId),
      services: {
        ...createServices({
          webAPI: context.webAPI,
          utils: context.utils,
          userId: context.userSettings.userId,
          proxyBaseUrl: () => latest().parameters.proxyBaseUrl?.raw ?? null,
          record: () => readHostRecord(latest()) ?? { entityName: "", id: null, name: null },
        }),
        ...this.overrides,
      },
      formatDate: (date) => latest().formatting?.formatDateShort?.(date) ?? date.toLocaleDateString(),
      refresh: () => latest().parameters.assetLinks.refresh(),
      // The platform then hands over the whole page range, so the rows grow.
      showMoreLinks: () => latest().parameters.assetLinks.paging.loadNextPage(),
      openUrl: (url) => latest().navigation.openUrl(url),
      formatNumber: (value, digits) => latest().formatting?.formatDecimal?.(value, digits) ?? value.toFixed(digits),
      openRecord: (record) => void latest().navigation.openForm({ entityName: record.entityName, entityId: record.id }),
      device: deviceFiles(context),
    };
    context.mode.trackContainerResize(true);
  }

  public updateView(context: ComponentFramework.Context<IInputs>): React.ReactElement {
    this.context = context;
    const dataset = context.parameters.assetLinks;
    const hostRecord = readHostRecord(context);
    const enabled = !context.mode.isControlDisabled;
    const may = (privilege: number) => enabled && context.utils.hasEntityPrivilege(ASSET_LINK_TABLE, privilege as ComponentFramework.PropertyHelper.Types.PrivilegeType, DEPTH_BASIC);
    const profile = effectiveProfile(context.parameters.profile?.raw, hostRecord?.entityName ?? null);
    const props: AppProps = {
      ...this.fixed,
      theme: context.fluentDesignLanguage?.tokenTheme as Theme | undefined,
      hostRecord,
      links: this.linkedAssets(dataset),
      linkedAssetCount: linkedAssetCount(dataset),
      isLoading: dataset.loading,
      hasMoreLinks: dataset.paging?.hasNextPage === true,
      canCreate: may(PRIVILEGE_CREATE),
      // Giving a campaign or event its collection is changing the record: write on its table.
      canCreateCollection: enabled && hostRecord !== null && context.utils.hasEntityPrivilege(hostRecord.entityName, PRIVILEGE_WRITE as ComponentFramework.PropertyHelper.Types.PrivilegeType, DEPTH_BASIC),
      canDelete: may(PRIVILEGE_DELETE),
      linkType: linkTypeOf(profile),
      profile,
      isRTL: context.userSettings.isRTL,
    };
    return React.createElement(App, props);
  }

  public getOutputs(): IOutputs {
    return {};
  }

  public destroy(): void {
    // Nothing to release: React unmounts the tree and requests are owned by hooks.
  }

  private linkedAssets(dataset: ComponentFramework.PropertyTypes.DataSet): LinkedAsset[] {
    if (dataset.records !== this.links.records || dataset.sortedRecordIds !== this.links.ids) {
      this.links = { records: dataset.records, ids: dataset.sortedRecordIds, value: linkedAssetsFrom(dataset) };
    }
    return this.links.value;
  }
}
