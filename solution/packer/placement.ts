/**
 * Which of our solutions a component goes into, decided only by the tables it needs: a component
 * that touches a table of a Dynamics 365 app goes into the add-on that requires that app, everything
 * else into the core. New tables, columns, forms or steps are placed by the same rule.
 */
import { tableSolutions, type MicrosoftSolution } from "../model/microsoftSolutions";
import { solutions, type SolutionKey } from "../model/publisher";
import type { ColumnDefinition } from "../model/types";

/** The Microsoft solution a table needs; undefined for our tables and Dataverse's own. */
export function microsoftSolutionOf(table: string): MicrosoftSolution | undefined {
  return tableSolutions[table];
}

function addOnRequiring(required: MicrosoftSolution): SolutionKey {
  const key = (Object.keys(solutions) as SolutionKey[]).find((candidate) =>
    (solutions[candidate].requires as readonly MicrosoftSolution[]).some((solution) => solution.uniqueName === required.uniqueName),
  );
  if (!key) throw new Error(`no solution of ours requires ${required.uniqueName}; add it to an add-on in solution/model/publisher.ts`);
  return key;
}

/** The solution for a component needing these tables (logical names); throws when they need two different add-ons. */
export function placementOf(tables: Iterable<string>, what: string): SolutionKey {
  const keys = new Set<SolutionKey>();
  for (const table of tables) {
    const required = microsoftSolutionOf(table);
    if (required) keys.add(addOnRequiring(required));
  }
  if (keys.size > 1) throw new Error(`${what} needs tables of two add-ons (${[...keys].join(", ")}); split it`);
  return [...keys][0] ?? "core";
}

/** The tables a column needs besides its own: a lookup needs its targets. */
export function tablesOfColumn(column: ColumnDefinition): string[] {
  return column.type === "lookup" || column.type === "owner" ? column.targets.map((target) => target.table) : [];
}
