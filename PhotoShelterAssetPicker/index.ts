import * as React from "react";
import { Theme } from "@fluentui/react-components";
import { IInputs, IOutputs } from "./generated/ManifestTypes";
import { App, AppProps } from "./App";
import { linkedAssetCount } from "./domain/linkedCount";
import { readHostRecord } from "./services/hostRecord";
import { GetString, stringsFrom } from "./services/strings";

let instanceCount = 0;

/** Thin adapter: PCF context in, typed props out. All behaviour lives in App and below. */
export class PhotoShelterAssetPicker implements ComponentFramework.ReactControl<IInputs, IOutputs> {
  private idPrefix: string;
  private getString: GetString;

  public init(context: ComponentFramework.Context<IInputs>, _notifyOutputChanged: () => void, _state: ComponentFramework.Dictionary): void {
    instanceCount += 1;
    this.idPrefix = `psh-picker-${instanceCount}-`;
    this.getString = stringsFrom(context.resources);
    context.mode.trackContainerResize(true);
  }

  public updateView(context: ComponentFramework.Context<IInputs>): React.ReactElement {
    const dataset = context.parameters.assetLinks;
    const props: AppProps = {
      theme: context.fluentDesignLanguage?.tokenTheme as Theme | undefined,
      idPrefix: this.idPrefix,
      getString: this.getString,
      hostRecord: readHostRecord(context),
      linkedAssetCount: linkedAssetCount(dataset),
      isLoading: dataset.loading,
    };
    return React.createElement(App, props);
  }

  public getOutputs(): IOutputs {
    return {};
  }

  public destroy(): void {
    // Nothing to release: React unmounts the tree and requests are owned by hooks.
  }
}
