import type { Node } from 'jsonc-parser';

/**
 * A reader for HuJSON as Tailscale's (github.com/tailscale/hujson `parse.go`) reads it, in one pass
 * over the text: whitespace is space, tab, CR and LF; a `//` comment runs to the next LF and must
 * end with one; a `/* *\/` comment must close; objects and lists may end with a comma. It gives the
 * value (every object key an own property, `__proto__` included, as `JSON.parse` does) and the
 * syntax tree the merge edits, with `jsonc-parser`'s node shape and error names.
 */

/**
 * The deepest nesting read. Go's `encoding/json`, which decodes the policy after Tailscale's HuJSON
 * reader standardizes it, stops at 10000 levels; this reader stops earlier, where a JavaScript stack
 * still holds, and no policy comes near either.
 */
export const MAX_DEPTH = 1000;

/** Where and why reading stopped. */
export interface ReadFault {
  readonly offset: number;
  readonly error: string;
}

/** A value with its syntax node. */
interface Read {
  readonly value: unknown;
  readonly node: Node;
}

const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
const ESCAPE = /^(?:["\\/bfnrt]|u[0-9a-fA-F]{4})/;
const LITERALS: readonly (readonly [string, unknown])[] = [
  ['true', true],
  ['false', false],
  ['null', null],
];

class Fault {
  constructor(
    readonly offset: number,
    readonly error: string,
  ) {}
}

class Reader {
  at = 0;
  depth = 0;
  constructor(readonly text: string) {}

  fail(error: string, offset = this.at): never {
    throw new Fault(offset, error);
  }

  /** Skips whitespace and comments. */
  skip(): void {
    const { text } = this;
    for (;;) {
      const code = text.charCodeAt(this.at);
      if (code === 32 || code === 9 || code === 13 || code === 10) {
        this.at += 1;
      } else if (code === 47 && text.charCodeAt(this.at + 1) === 47) {
        const end = text.indexOf('\n', this.at + 2);
        if (end < 0) this.fail('parsing comment: unexpected EOF (a // comment must end with a line feed)');
        this.at = end + 1;
      } else if (code === 47 && text.charCodeAt(this.at + 1) === 42) {
        const end = text.indexOf('*/', this.at + 2);
        if (end < 0) this.fail('UnexpectedEndOfComment');
        this.at = end + 2;
      } else {
        return;
      }
    }
  }

  value(): Read {
    this.skip();
    const start = this.at;
    const char = this.text[start];
    if (char === '{' || char === '[') {
      this.depth += 1;
      if (this.depth > MAX_DEPTH) this.fail(`exceeded max depth of ${MAX_DEPTH} nested objects and lists`);
      const read = char === '{' ? this.object() : this.array();
      this.depth -= 1;
      return read;
    }
    if (char === '"') {
      const value = this.string();
      return { value, node: { type: 'string', value, offset: start, length: this.at - start } };
    }
    if (char === '-' || (char !== undefined && char >= '0' && char <= '9')) {
      NUMBER.lastIndex = start;
      if (!NUMBER.test(this.text)) this.fail('InvalidNumberFormat');
      this.at = NUMBER.lastIndex;
      const value = Number(this.text.slice(start, this.at));
      return { value, node: { type: 'number', value, offset: start, length: this.at - start } };
    }
    for (const [word, value] of LITERALS) {
      if (this.text.startsWith(word, start)) {
        this.at += word.length;
        const type = value === null ? 'null' : 'boolean';
        return { value, node: { type, value, offset: start, length: word.length } };
      }
    }
    return this.fail(char === undefined || '{}[],:'.includes(char) ? 'ValueExpected' : 'InvalidSymbol');
  }

  string(): string {
    const { text } = this;
    const start = this.at;
    let escaped = false;
    for (let at = start + 1; at < text.length; at += 1) {
      const code = text.charCodeAt(at);
      if (code === 34) {
        this.at = at + 1;
        const body = text.slice(start, at + 1);
        return escaped ? (JSON.parse(body) as string) : body.slice(1, -1);
      }
      if (code < 32) this.fail('InvalidCharacter', at);
      if (code === 92) {
        if (!ESCAPE.test(text.slice(at + 1, at + 6))) this.fail('InvalidEscapeCharacter', at);
        escaped = true;
        at += 1;
      }
    }
    return this.fail('UnexpectedEndOfString', text.length);
  }

  object(): Read {
    const start = this.at;
    this.at += 1;
    const value: Record<string, unknown> = {};
    const children: Node[] = [];
    this.skip();
    while (this.text[this.at] !== '}') {
      if (this.at >= this.text.length && children.length === 0) this.fail('CloseBraceExpected');
      if (this.text[this.at] !== '"') this.fail('PropertyNameExpected');
      const keyStart = this.at;
      const key = this.string();
      const keyNode: Node = { type: 'string', value: key, offset: keyStart, length: this.at - keyStart };
      this.skip();
      if (this.text[this.at] !== ':') this.fail('ColonExpected');
      const colonOffset = this.at;
      this.at += 1;
      const item = this.value();
      // An own property even for "__proto__", which assignment would take for the prototype;
      // a repeated key keeps the last value.
      if (key === '__proto__') {
        Object.defineProperty(value, key, {
          value: item.value,
          enumerable: true,
          writable: true,
          configurable: true,
        });
      } else {
        value[key] = item.value;
      }
      children.push({
        type: 'property',
        offset: keyStart,
        length: this.at - keyStart,
        colonOffset,
        children: [keyNode, item.node],
      });
      if (!this.separator('}')) break;
    }
    if (this.text[this.at] !== '}')
      this.fail(this.at >= this.text.length ? 'CloseBraceExpected' : 'CommaExpected');
    this.at += 1;
    return { value, node: { type: 'object', offset: start, length: this.at - start, children } };
  }

  array(): Read {
    const start = this.at;
    this.at += 1;
    const value: unknown[] = [];
    const children: Node[] = [];
    this.skip();
    while (this.text[this.at] !== ']') {
      if (this.at >= this.text.length && children.length === 0) this.fail('CloseBracketExpected');
      const item = this.value();
      value.push(item.value);
      children.push(item.node);
      if (!this.separator(']')) break;
    }
    if (this.text[this.at] !== ']')
      this.fail(this.at >= this.text.length ? 'CloseBracketExpected' : 'CommaExpected');
    this.at += 1;
    return { value, node: { type: 'array', offset: start, length: this.at - start, children } };
  }

  /** After an item: whether another may follow (a comma was read), so a trailing comma is fine. */
  separator(close: string): boolean {
    this.skip();
    if (this.text[this.at] !== ',') return false;
    this.at += 1;
    this.skip();
    return this.text[this.at] !== close;
  }
}

/** Reads a whole HuJSON text: one value between whitespace and comments. */
export function readHujson(text: string): Read | ReadFault {
  const reader = new Reader(text);
  try {
    const read = reader.value();
    reader.skip();
    if (reader.at < text.length) reader.fail('EndOfFileExpected');
    return read;
  } catch (error) {
    if (error instanceof Fault) return { offset: error.offset, error: error.error };
    throw error;
  }
}
