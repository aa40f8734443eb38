/**
 * A small logic-less template language (a subset of Mustache):
 * `{{name}}` and `{{a.b}}` insert a value, escaped for the output they land
 * in; `{{#list}}…{{/list}}` repeats for each item of a list (or renders once
 * for a true value); `{{^name}}…{{/name}}` renders when the value is empty.
 * There is no unescaped form, so a user-supplied value (a name, a product
 * name, an admin's message) can never inject markup. A missing variable is
 * an error, not an empty string: a template and its data must agree.
 */

export type Value = string | number | boolean | null | Value[] | { [k: string]: Value };
export type Vars = { [k: string]: Value };
export type Escape = (s: string) => string;

export class TemplateError extends Error {
  override name = "TemplateError";
}

type Node = { t: "text"; s: string } | { t: "var"; path: string } | { t: "section"; path: string; inverted: boolean; body: Node[] };

const TAG = /\{\{\s*([#^/]?)\s*([A-Za-z_][\w.]*)\s*\}\}/g;

function parse(source: string): Node[] {
  const root: Node[] = [];
  const stack: { path: string; nodes: Node[] }[] = [{ path: "", nodes: root }];
  let last = 0;
  for (const m of source.matchAll(TAG)) {
    const top = stack[stack.length - 1]!;
    if (m.index > last) top.nodes.push({ t: "text", s: source.slice(last, m.index) });
    last = m.index + m[0].length;
    const [, sigil, path] = m as unknown as [string, string, string];
    if (sigil === "#" || sigil === "^") {
      const section: Node = { t: "section", path, inverted: sigil === "^", body: [] };
      top.nodes.push(section);
      stack.push({ path, nodes: section.body });
    } else if (sigil === "/") {
      if (stack.length === 1 || top.path !== path) throw new TemplateError(`unexpected {{/${path}}}`);
      stack.pop();
    } else {
      top.nodes.push({ t: "var", path });
    }
  }
  if (stack.length > 1) throw new TemplateError(`unclosed section {{#${stack[stack.length - 1]!.path}}}`);
  if (last < source.length) root.push({ t: "text", s: source.slice(last) });
  if (/\{\{\{/.test(source) || /\{\{|\}\}/.test(source.replace(TAG, ""))) throw new TemplateError("malformed tag");
  return root;
}

const compiled = new Map<string, Node[]>();
function compile(source: string): Node[] {
  let nodes = compiled.get(source);
  if (!nodes) {
    nodes = parse(source);
    compiled.set(source, nodes);
  }
  return nodes;
}

function lookup(scopes: Value[], path: string): Value | undefined {
  const [head, ...rest] = path.split(".");
  for (let i = scopes.length - 1; i >= 0; i--) {
    const scope = scopes[i];
    if (scope && typeof scope === "object" && !Array.isArray(scope) && Object.hasOwn(scope, head!)) {
      let value: Value | undefined = scope[head!];
      for (const key of rest)
        value = value && typeof value === "object" && !Array.isArray(value) && Object.hasOwn(value, key) ? value[key] : undefined;
      return value;
    }
  }
  return undefined;
}

function emit(nodes: Node[], scopes: Value[], escapeText: Escape, out: string[]): void {
  for (const node of nodes) {
    if (node.t === "text") out.push(node.s);
    else if (node.t === "var") {
      const value = lookup(scopes, node.path);
      if (value === undefined) throw new TemplateError(`missing variable ${node.path}`);
      if (value !== null && typeof value === "object") throw new TemplateError(`variable ${node.path} is not a scalar`);
      out.push(escapeText(value === null ? "" : String(value)));
    } else {
      const value = lookup(scopes, node.path);
      if (value === undefined) throw new TemplateError(`missing section variable ${node.path}`);
      const empty = value === null || value === false || value === "" || (Array.isArray(value) && value.length === 0);
      if (node.inverted) {
        if (empty) emit(node.body, scopes, escapeText, out);
      } else if (Array.isArray(value)) {
        for (const item of value) emit(node.body, [...scopes, item], escapeText, out);
      } else if (!empty) {
        emit(node.body, [...scopes, value], escapeText, out);
      }
    }
  }
}

export function render(source: string, vars: Vars, escapeText: Escape): string {
  const out: string[] = [];
  emit(compile(source), [vars], escapeText, out);
  return out.join("");
}

const HTML_ENTITIES: Record<string, string> = {
  "&": "&amp;",
  "<": "&lt;",
  ">": "&gt;",
  '"': "&quot;",
  "'": "&#39;",
  "`": "&#96;",
  "=": "&#61;",
};
/** For element content and quoted attribute values. */
export const escapeHtml: Escape = (s) => stripUnsafe(s).replace(/[&<>"'`=]/g, (c) => HTML_ENTITIES[c]!);

/**
 * Control characters (other than newline and tab) and Unicode direction
 * overrides, which can disguise a value's text, are removed everywhere.
 */
function stripUnsafe(s: string): string {
  // eslint-disable-next-line no-control-regex
  return s.replace(/[\u0000-\u0008\u000B-\u001F\u007F\u202A-\u202E\u2066-\u2069]/g, "");
}

/** For plain-text bodies (mail text part, SMS, push body). */
export const escapeText: Escape = (s) => stripUnsafe(s);

/** For one-line fields (mail subject, push title): no line breaks, so no header injection. */
export const escapeLine: Escape = (s) => stripUnsafe(s).replace(/\s*[\r\n\t]+\s*/g, " ");
