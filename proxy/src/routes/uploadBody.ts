/**
 * Reading an upload's multipart body from a client that may stall or vanish. The watch aborts as soon
 * as the client closes the connection early or its body makes no progress for the idle time; every
 * wait on the body races that abort, and the same signal aborts the upstream upload, so neither the
 * request nor its PhotoShelter connection can hang. A body that breaks off (truncated, no closing
 * boundary, malformed) is a 400, never a stored half file.
 */
import type { MultipartFile, MultipartValue } from "@fastify/multipart";
import type { FastifyReply, FastifyRequest } from "fastify";
import { PassThrough, pipeline, type Readable } from "node:stream";
import { ProxyError } from "../errors";

/** Why an upload was given up on the client's side. */
export class UploadAborted extends Error {
  constructor(
    readonly stalled: boolean,
    message: string,
  ) {
    super(message);
    this.name = "UploadAborted";
  }
}

export interface UploadWatch {
  readonly signal: AbortSignal;
  /** Stops watching (the body has been read, or the upload is over). */
  dispose(): void;
}

/**
 * Watches the client side of an upload: the connection closing before the answer is sent, and the
 * body making no progress (bytes read from the socket) for `idleMs` while it is still arriving.
 */
export function watchUpload(request: FastifyRequest, reply: FastifyReply, idleMs: number): UploadWatch {
  const controller = new AbortController();
  const socket = request.raw.socket;
  let read = socket.bytesRead;
  let progressAt = Date.now();
  const timer = setInterval(
    () => {
      if (request.raw.complete) return clearInterval(timer);
      if (socket.bytesRead !== read) {
        read = socket.bytesRead;
        progressAt = Date.now();
      } else if (Date.now() - progressAt >= idleMs) {
        controller.abort(new UploadAborted(true, `The upload made no progress for ${Math.round(idleMs / 1000) || idleMs / 1000} seconds`));
      }
    },
    Math.max(25, Math.min(1000, idleMs / 4)),
  );
  const gone = () => {
    if (!reply.raw.writableFinished) controller.abort(new UploadAborted(false, "The client closed the connection before the upload was complete"));
  };
  reply.raw.once("close", gone);
  controller.signal.addEventListener("abort", () => clearInterval(timer), { once: true });
  // Gone already, before the watch began (the client sent its bytes and hung up while its record was checked).
  if (socket.destroyed || request.raw.destroyed) gone();
  return {
    signal: controller.signal,
    dispose() {
      clearInterval(timer);
      reply.raw.off("close", gone);
    },
  };
}

/** `promise`, or the abort's reason as soon as the signal fires. */
export function unlessAborted<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) {
    promise.catch(() => undefined);
    return Promise.reject(signal.reason);
  }
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener("abort", onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener("abort", onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener("abort", onAbort);
        reject(error);
      },
    );
  });
}

/** A multipart parse error as the client's mistake: the parser's own 4xx, else 400 naming what broke. */
export function malformed(error: unknown): unknown {
  if (error instanceof ProxyError || error instanceof UploadAborted) return error;
  const status = (error as { statusCode?: unknown }).statusCode;
  if (typeof status === "number" && status >= 400 && status < 500) return error;
  return new ProxyError("validation_failed", `The multipart body is malformed: ${String((error as Error)?.message ?? error).slice(0, 200)}`);
}

export interface IncomingFile {
  caption: string | undefined;
  part: MultipartFile;
  /** The rest of the body: resolves when it has arrived whole, rejects (400) when it breaks off. */
  complete: Promise<void>;
}

/** Takes the fields before the `file` part and the file part itself; the rest of the body is read on in the background. */
export async function readFilePart(request: FastifyRequest, signal: AbortSignal): Promise<IncomingFile> {
  let parts: AsyncIterator<MultipartFile | MultipartValue>;
  try {
    parts = request.parts()[Symbol.asyncIterator]();
  } catch (error) {
    throw malformed(error);
  }
  const next = () => unlessAborted(parts.next(), signal).catch((error: unknown) => Promise.reject(malformed(error)));
  let caption: string | undefined;
  for (;;) {
    const { done, value: part } = await next();
    if (done) throw new ProxyError("validation_failed", "The multipart body has no 'file' part");
    if (part.type === "field") {
      if (part.fieldname === "caption" && typeof part.value === "string") caption = part.value.slice(0, 2000);
      continue;
    }
    if (part.fieldname !== "file") {
      part.file.resume();
      continue;
    }
    // Whatever follows the file (fields, a closing boundary) must arrive too before the file counts as whole.
    const complete = (async () => {
      for (;;) {
        const { done, value: rest } = await next();
        if (done) return;
        if (rest.type === "file") rest.file.resume();
      }
    })();
    complete.catch(() => undefined);
    return { caption, part, complete };
  }
}

/**
 * The file's bytes, failing (never ending early) when the client's body breaks off, the size limit
 * truncates it, or the upload is aborted.
 */
export function guardedStream(file: MultipartFile, signal: AbortSignal, tooLarge: () => Error): Readable {
  const guarded = new PassThrough();
  pipeline(file.file, guarded, () => undefined);
  file.file.on("limit", () => guarded.destroy(tooLarge()));
  const abort = () => guarded.destroy(signal.reason as Error);
  if (signal.aborted) abort();
  else signal.addEventListener("abort", abort, { once: true });
  guarded.once("close", () => signal.removeEventListener("abort", abort));
  return guarded;
}
