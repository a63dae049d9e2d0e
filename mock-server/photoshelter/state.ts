/** One running mock's PhotoShelter state, reachable in-process for tests and other route groups. */
import type { MockContext } from "../context";
import { AuthStore } from "./auth";
import { MediaFiles } from "./files";
import { Library } from "./library";
import { UsageLog } from "./usage";

export interface PhotoShelterState {
  library: Library;
  files: MediaFiles;
  usage: UsageLog;
  auth: AuthStore;
  context: MockContext;
  /** Only the `include=` names real clients use are answered (see CONFIRMED_INCLUDES); switchable at run time. */
  strictIncludes: boolean;
}

const states = new WeakMap<MockContext, PhotoShelterState>();

export function createState(context: MockContext): PhotoShelterState {
  const state: PhotoShelterState = {
    library: new Library(context.seed, context.media),
    files: new MediaFiles(),
    usage: new UsageLog(),
    auth: new AuthStore(context.settings),
    context,
    strictIncludes: context.settings.psStrictIncludes,
  };
  states.set(context, state);
  return state;
}

/** Regenerates the library from a seed and forgets usage and writes; sessions and OAuth clients stay valid. */
export function resetState(state: PhotoShelterState, seed: number, media: number): void {
  state.library = new Library(seed, media);
  state.files = new MediaFiles();
  state.usage.clear();
}

/** The PhotoShelter state of one running mock server (library, usage, auth). */
export function photoShelterOf(context: MockContext): PhotoShelterState {
  const state = states.get(context);
  if (!state) throw new Error("the PhotoShelter route group is not registered on this mock server");
  return state;
}
