/** Number of asset links in the dataset: the server's total when it knows it, else the rows loaded. */
export function linkedAssetCount(dataset: Pick<ComponentFramework.PropertyTypes.DataSet, "paging" | "sortedRecordIds">): number {
  const total = dataset.paging?.totalResultCount;
  return typeof total === "number" && total >= 0 ? total : dataset.sortedRecordIds.length;
}

/** The resx key for a count of linked assets ("none", "one" or "other"). */
export function linkedCountKey(count: number): "LinkedCount_None" | "LinkedCount_One" | "LinkedCount_Other" {
  if (count === 0) return "LinkedCount_None";
  return count === 1 ? "LinkedCount_One" : "LinkedCount_Other";
}
