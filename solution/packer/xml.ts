import { create } from "xmlbuilder2";
import type { XMLBuilder } from "xmlbuilder2/lib/interfaces";
import { schemaOrder, type OrderedElement } from "./schemaOrder";

/**
 * A small element tree the generators build and one renderer writes with xmlbuilder2. Keeping the
 * tree as data lets `ordered()` put children in schema order before anything is written.
 */
export interface XmlElement {
  name: string;
  attrs?: Record<string, string | number | undefined>;
  text?: string;
  children?: XmlElement[];
}

export type XmlChild = XmlElement | undefined | false | XmlChild[];

function flatten(children: XmlChild[]): XmlElement[] {
  const out: XmlElement[] = [];
  for (const child of children) {
    if (Array.isArray(child)) out.push(...flatten(child));
    else if (child) out.push(child);
  }
  return out;
}

/** An element with attributes (undefined ones are dropped) and children (falsy ones are dropped). */
export function el(name: string, attrs?: XmlElement["attrs"], ...children: XmlChild[]): XmlElement {
  return { name, attrs, children: flatten(children) };
}

/** An element holding only text. */
export function txt(name: string, value: string | number, attrs?: XmlElement["attrs"]): XmlElement {
  return { name, attrs, text: String(value) };
}

/**
 * An element whose children must follow an xs:sequence: they are put in the order schemaOrder.ts
 * lists for `name`; a child the list does not name is a generator bug and throws.
 */
export function ordered(name: OrderedElement, attrs: XmlElement["attrs"], ...children: XmlChild[]): XmlElement {
  const order: readonly string[] = schemaOrder[name];
  const flat = flatten(children);
  for (const child of flat) {
    if (!order.includes(child.name)) throw new Error(`<${child.name}> is not allowed in <${name}> (schema order: ${order.join(", ")})`);
  }
  const sorted = [...flat].sort((a, b) => order.indexOf(a.name) - order.indexOf(b.name));
  return { name, attrs, children: sorted };
}

function build(parent: XMLBuilder, node: XmlElement): void {
  const element = parent.ele(node.name);
  for (const [key, value] of Object.entries(node.attrs ?? {})) {
    if (value !== undefined) element.att(key, String(value));
  }
  if (node.text !== undefined) element.txt(node.text);
  for (const child of node.children ?? []) build(element, child);
}

/** Serialises a document: UTF-8 declaration, two-space indentation, no BOM. */
export function renderXml(root: XmlElement): string {
  const doc = create({ version: "1.0", encoding: "utf-8" });
  build(doc, root);
  return doc.end({ prettyPrint: true, indent: "  " });
}
