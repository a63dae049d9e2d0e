import * as React from "../platform/react";
import { Badge, BadgeProps } from "@fluentui/react-components";
import { Archive16Filled, CheckmarkCircle16Filled, Clock16Filled, ClockAlarm16Filled, DismissCircle16Filled, LockClosed16Filled, QuestionCircle16Regular } from "@fluentui/react-icons";
import type { RightsResult, RightsStatus } from "../../contract/rights";
import { GetString, message } from "../services/strings";
import { useStrings } from "./Strings";

/** Colour, icon and words for each status: never colour alone. */
const APPEARANCE: Record<RightsStatus, { color: BadgeProps["color"]; icon: React.ReactElement }> = {
  approved: { color: "success", icon: <CheckmarkCircle16Filled /> },
  expiring30: { color: "warning", icon: <Clock16Filled /> },
  expiring14: { color: "severe", icon: <ClockAlarm16Filled /> },
  expired: { color: "danger", icon: <DismissCircle16Filled /> },
  restricted: { color: "danger", icon: <LockClosed16Filled /> },
  retired: { color: "subtle", icon: <Archive16Filled /> },
  unknown: { color: "informative", icon: <QuestionCircle16Regular /> },
};

export function rightsText(getString: GetString, rights: RightsResult): string {
  switch (rights.status) {
    case "expiring30":
    case "expiring14":
      if (rights.daysToExpiry === 0) return getString("Rights_ExpiresToday");
      if (rights.daysToExpiry === 1) return getString("Rights_ExpiresTomorrow");
      return rights.daysToExpiry === null ? getString("Rights_Expiring") : message(getString, "Rights_ExpiresInDays", rights.daysToExpiry);
    case "approved":
      return getString("Rights_Approved");
    case "expired":
      return getString("Rights_Expired");
    case "restricted":
      return getString("Rights_Restricted");
    case "retired":
      return getString("Rights_Retired");
    default:
      return getString("Rights_Unknown");
  }
}

export const RightsBadge = React.memo(function RightsBadge(props: { rights: RightsResult }) {
  const getString = useStrings();
  const { color, icon } = APPEARANCE[props.rights.status];
  return (
    <Badge appearance="tint" shape="rounded" color={color} icon={icon}>
      <span className="psh-badge-text">{rightsText(getString, props.rights)}</span>
    </Badge>
  );
});
