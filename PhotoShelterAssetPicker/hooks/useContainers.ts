import useSWR from "swr";
import type { Container } from "../../contract/proxyApi";
import { ProxyClient, ProxyError } from "../services/proxyClient";
import { HostRecord, recordKey } from "../services/hostRecord";

/** Collections and galleries directly inside one (top level for null); the first 100 are plenty to browse. */
export function useContainers(client: ProxyClient, record: HostRecord, parentId: string | null, enabled: boolean): { containers: Container[]; isLoading: boolean; error: ProxyError | undefined; retry: () => void } {
  const { data, error, isLoading, mutate } = useSWR(enabled ? ["containers", recordKey(record), parentId ?? ""] : null, () => client.getContainers(parentId, 1, 100));
  return { containers: data?.items ?? [], isLoading, error: error as ProxyError | undefined, retry: () => void mutate() };
}
