/**
 * ZLM answers and hook bodies are written by jsoncpp's StyledWriter. Clients
 * that compare bytes (and our fidelity tests) need the exact layout: tab
 * indentation, `"key" : value`, keys sorted by byte order, arrays of scalars on
 * one line when short, non-ASCII escaped as \uXXXX, floats keeping ".0", and a
 * trailing newline.
 */

/** A number that jsoncpp holds as a double (printed with a decimal point). */
export class JsonFloat {
  constructor(readonly value: number) {}
}

export const float = (value: number): JsonFloat => new JsonFloat(value);

export type ZlmJson =
  | null
  | boolean
  | number
  | string
  | JsonFloat
  | ZlmJson[]
  | { [key: string]: ZlmJson | undefined };

const RIGHT_MARGIN = 74;

function escapeString(s: string): string {
  let out = '"';
  for (const ch of s) {
    const cp = ch.codePointAt(0) ?? 0;
    if (ch === '"') out += '\\"';
    else if (ch === "\\") out += "\\\\";
    else if (ch === "\b") out += "\\b";
    else if (ch === "\f") out += "\\f";
    else if (ch === "\n") out += "\\n";
    else if (ch === "\r") out += "\\r";
    else if (ch === "\t") out += "\\t";
    else if (cp < 0x20 || cp > 0x7e) {
      // jsoncpp escapes everything outside printable ASCII, as UTF-16 units.
      for (let i = 0; i < ch.length; i++) {
        out += "\\u" + ch.charCodeAt(i).toString(16).padStart(4, "0");
      }
    } else out += ch;
  }
  return out + '"';
}

function formatFloat(v: number): string {
  if (!Number.isFinite(v)) return v > 0 ? "1e+9999" : v < 0 ? "-1e+9999" : "null";
  let s = String(Number(v.toPrecision(17)));
  if (!/[.eE]/.test(s)) s += ".0";
  return s;
}

function isContainer(v: ZlmJson | undefined): v is ZlmJson[] | { [key: string]: ZlmJson | undefined } {
  return v !== null && typeof v === "object" && !(v instanceof JsonFloat);
}

function isEmptyContainer(v: ZlmJson[] | { [key: string]: ZlmJson | undefined }): boolean {
  return Array.isArray(v) ? v.length === 0 : definedKeys(v).length === 0;
}

function definedKeys(o: { [key: string]: ZlmJson | undefined }): string[] {
  return Object.keys(o)
    .filter((k) => o[k] !== undefined)
    .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

function scalar(v: ZlmJson): string {
  if (v === null) return "null";
  if (v instanceof JsonFloat) return formatFloat(v.value);
  if (typeof v === "boolean") return v ? "true" : "false";
  if (typeof v === "number") return Number.isInteger(v) ? String(v) : formatFloat(v);
  if (typeof v === "string") return escapeString(v);
  throw new Error("not a scalar");
}

class StyledWriter {
  private out = "";
  private indent = "";

  write(root: ZlmJson): string {
    this.writeValue(root);
    return this.out + "\n";
  }

  private writeIndent(): void {
    if (this.out.length > 0) {
      // ZLM's jsoncpp breaks the line even after `"key" : ` (observed).
      if (this.out[this.out.length - 1] !== "\n") this.out += "\n";
    }
    this.out += this.indent;
  }

  private writeWithIndent(s: string): void {
    this.writeIndent();
    this.out += s;
  }

  private writeValue(v: ZlmJson): void {
    if (!isContainer(v)) {
      this.out += scalar(v);
      return;
    }
    if (Array.isArray(v)) return this.writeArray(v);
    const keys = definedKeys(v);
    if (keys.length === 0) {
      this.out += "{}";
      return;
    }
    this.writeWithIndent("{");
    this.indent += "\t";
    keys.forEach((key, i) => {
      const child = v[key] as ZlmJson;
      this.writeWithIndent(escapeString(key));
      this.out += " : ";
      this.writeValue(child);
      if (i < keys.length - 1) this.out += ",";
    });
    this.indent = this.indent.slice(1);
    this.writeWithIndent("}");
  }

  private writeArray(v: ZlmJson[]): void {
    if (v.length === 0) {
      this.out += "[]";
      return;
    }
    if (!this.isMultiline(v)) {
      this.out += "[ " + v.map((c) => scalar(c)).join(", ") + " ]";
      return;
    }
    this.writeWithIndent("[");
    this.indent += "\t";
    v.forEach((child, i) => {
      if (isContainer(child) && !isEmptyContainer(child)) this.writeValue(child);
      else {
        this.writeIndent();
        this.writeValue(child);
      }
      if (i < v.length - 1) this.out += ",";
    });
    this.indent = this.indent.slice(1);
    this.writeWithIndent("]");
  }

  private isMultiline(v: ZlmJson[]): boolean {
    if (v.length * 3 >= RIGHT_MARGIN) return true;
    if (v.some((c) => isContainer(c) && !isEmptyContainer(c))) return true;
    let lineLength = 4 + (v.length - 1) * 2;
    for (const c of v) lineLength += isContainer(c) ? 2 : scalar(c).length;
    return lineLength >= RIGHT_MARGIN;
  }
}

/** Serialises like ZLM's HTTP API and hook client (jsoncpp StyledWriter). */
export function toZlmJson(value: ZlmJson): string {
  return new StyledWriter().write(value);
}
