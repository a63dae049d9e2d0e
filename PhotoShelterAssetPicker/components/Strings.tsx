import { createContext, useContext } from "react";
import type { GetString } from "../services/strings";

/**
 * The user's strings (the control's .resx), given once by App to every component below it: a prop
 * passed through each level would be spelled out again at every call site of the bundle.
 */
const Strings = createContext<GetString>((key) => key);

export const StringsProvider = Strings.Provider;

export function useStrings(): GetString {
  return useContext(Strings);
}
