/** Number of asset links in the dataset: the server's total when it knows it, else the rows loaded. */
export function linkedAssetCount(dataset: Pick<ComponentFramework.PropertyTypes.DataSet, "paging" | "sortedRecordIds">): number {
  const total = dataset.paging?.totalResultCount;
  return typeof total === "number" && total >= 0 ? total : dataset.sortedRecordIds.length;
}
