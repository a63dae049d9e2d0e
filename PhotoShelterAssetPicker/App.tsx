import * as React from "react";
import { FluentProvider, IdPrefixProvider, Theme, webLightTheme } from "@fluentui/react-components";
import { LinkedAssetsHeader } from "./components/LinkedAssetsHeader";
import { HostRecord } from "./services/hostRecord";
import { GetString } from "./services/strings";

export interface AppProps {
  /** Host theme from `context.fluentDesignLanguage`; undefined outside the modern look. */
  theme: Theme | undefined;
  /** Unique per control instance so two pickers on one form never share element ids. */
  idPrefix: string;
  getString: GetString;
  hostRecord: HostRecord | null;
  linkedAssetCount: number;
  isLoading: boolean;
}

export const App = React.memo(function App(props: AppProps) {
  const { theme, idPrefix, getString, hostRecord, linkedAssetCount, isLoading } = props;
  return (
    <IdPrefixProvider value={idPrefix}>
      <FluentProvider theme={theme ?? webLightTheme} className="psh-asset-picker">
        <LinkedAssetsHeader
          getString={getString}
          count={linkedAssetCount}
          isLoading={isLoading}
          isUnsavedRecord={hostRecord !== null && hostRecord.id === null}
        />
      </FluentProvider>
    </IdPrefixProvider>
  );
});
