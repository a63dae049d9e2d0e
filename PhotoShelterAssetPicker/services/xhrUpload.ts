/**
 * A POST whose upload progress can be watched: fetch reports no progress for request bodies, so
 * uploads use XMLHttpRequest. Aborting the signal cancels the request.
 */
export interface XhrAnswer {
  status: number;
  statusText: string;
  body: string;
  retryAfter: string | null;
}

export function sendWithProgress(url: string, headers: Record<string, string>, body: FormData, onProgress: (loaded: number) => void, signal: AbortSignal): Promise<XhrAnswer> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) {
      reject(signal.reason);
      return;
    }
    const xhr = new XMLHttpRequest();
    xhr.open("POST", url);
    for (const [name, value] of Object.entries(headers)) xhr.setRequestHeader(name, value);
    xhr.upload.onprogress = (event) => onProgress(event.loaded);
    const abort = () => xhr.abort();
    signal.addEventListener("abort", abort);
    const settle = () => signal.removeEventListener("abort", abort);
    xhr.onload = () => {
      settle();
      resolve({ status: xhr.status, statusText: xhr.statusText, body: xhr.responseText, retryAfter: xhr.getResponseHeader("retry-after") });
    };
    xhr.onerror = () => {
      settle();
      reject(new Error("The upload could not reach the proxy"));
    };
    xhr.onabort = () => {
      settle();
      reject(signal.reason ?? new DOMException("Aborted", "AbortError"));
    };
    xhr.send(body);
  });
}
