import * as React from "../platform/react";
import { Badge, BadgeProps } from "@fluentui/react-components";
import { Archive16Filled, CheckmarkCircle16Filled, Clock16Filled, ClockAlarm16Filled, DismissCircle16Filled, LockClosed16Filled, QuestionCircle16Regular } from "@fluentui/react-icons";
import type { RightsResult, RightsStatus } from "../../contract/rights";
import { GetString, message } from "../services/strings";
import { useStrings } from "./Strings";

/** Colour, icon and words (a resx key) for each status: never colour alone. */
const APPEARANCE: Record<RightsStatus, { color: BadgeProps["color"]; icon: React.ReactElement; words: string }> = {
  approved: { color: "success", icon: <CheckmarkCircle16Filled />, words: "Rights_Approved" },
  expiring30: { color: "warning", icon: <Clock16Filled />, words: "Rights_Expiring" },
  expiring14: { color: "severe", icon: <ClockAlarm16Filled />, words: "Rights_Expiring" },
  expired: { color: "danger", icon: <DismissCircle16Filled />, words: "Rights_Expired" },
  restricted: { color: "danger", icon: <LockClosed16Filled />, words: "Rights_Restricted" },
  retired: { color: "subtle", icon: <Archive16Filled />, words: "Rights_Retired" },
  unknown: { color: "informative", icon: <QuestionCircle16Regular />, words: "Rights_Unknown" },
};

/** The status in words; an expiring asset says when (today, tomorrow, in n days) where the date is known. */
export function rightsText(getString: GetString, { status, daysToExpiry }: RightsResult): string {
  if ((status !== "expiring30" && status !== "expiring14") || daysToExpiry === null) return getString(APPEARANCE[status].words);
  if (daysToExpiry === 0) return getString("Rights_ExpiresToday");
  if (daysToExpiry === 1) return getString("Rights_ExpiresTomorrow");
  return message(getString, "Rights_ExpiresInDays", daysToExpiry);
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
