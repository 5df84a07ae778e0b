/**
 * Hive DDL as Athena accepts it for external tables: CREATE EXTERNAL TABLE with nested STRUCT/ARRAY/MAP
 * column types, PARTITIONED BY, ROW FORMAT SERDE, STORED AS, LOCATION and TBLPROPERTIES (where partition
 * projection is configured). Parsed into plain data so the engine can read the table's files the way the
 * SerDe would; the grammar is Hive's, nothing here knows which product sends it.
 */

export type HiveType =
  | { kind: 'primitive'; name: string }
  | { kind: 'struct'; fields: Column[] }
  | { kind: 'array'; of: HiveType }
  | { kind: 'map'; key: HiveType; value: HiveType };

export interface Column {
  /** Lower case: Hive (and so Athena) folds identifiers. */
  name: string;
  type: HiveType;
}

export interface TableDef {
  database?: string;
  name: string;
  ifNotExists: boolean;
  columns: Column[];
  partitions: Column[];
  serde?: string;
  inputFormat?: string;
  location: string;
  properties: Record<string, string>;
}

/** A statement Athena would refuse; the message is what Athena's error says. */
export class DdlError extends Error {}

type Token = { kind: 'word' | 'ident' | 'string' | 'punct'; text: string };

function tokenize(sql: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  while (i < sql.length) {
    const c = sql[i] as string;
    if (/\s/.test(c)) {
      i += 1;
    } else if (c === '-' && sql[i + 1] === '-') {
      while (i < sql.length && sql[i] !== '\n') i += 1;
    } else if (c === "'" || c === '"' || c === '`') {
      let j = i + 1;
      let text = '';
      for (;;) {
        if (j >= sql.length) throw new DdlError(`line 1:${i + 1}: unterminated ${c === "'" ? 'string' : 'identifier'}`);
        const d = sql[j] as string;
        if (d === c) {
          if (sql[j + 1] === c) {
            text += c;
            j += 2;
            continue;
          }
          break;
        }
        text += d;
        j += 1;
      }
      out.push({ kind: c === "'" ? 'string' : 'ident', text });
      i = j + 1;
    } else if (/[A-Za-z0-9_$]/.test(c)) {
      let j = i;
      while (j < sql.length && /[A-Za-z0-9_$]/.test(sql[j] as string)) j += 1;
      out.push({ kind: 'word', text: sql.slice(i, j) });
      i = j;
    } else {
      out.push({ kind: 'punct', text: c });
      i += 1;
    }
  }
  return out;
}

class Parser {
  private i = 0;
  constructor(private readonly tokens: Token[]) {}

  peek(offset = 0): Token | undefined {
    return this.tokens[this.i + offset];
  }

  isWord(w: string, offset = 0): boolean {
    const t = this.peek(offset);
    return t?.kind === 'word' && t.text.toUpperCase() === w;
  }

  word(w: string): void {
    if (!this.isWord(w)) throw new DdlError(`mismatched input '${this.peek()?.text ?? '<EOF>'}'. Expecting: '${w}'`);
    this.i += 1;
  }

  punct(p: string): void {
    const t = this.peek();
    if (t?.kind !== 'punct' || t.text !== p) throw new DdlError(`mismatched input '${t?.text ?? '<EOF>'}'. Expecting: '${p}'`);
    this.i += 1;
  }

  isPunct(p: string): boolean {
    const t = this.peek();
    return t?.kind === 'punct' && t.text === p;
  }

  name(): string {
    const t = this.peek();
    if (!t || (t.kind !== 'word' && t.kind !== 'ident')) throw new DdlError(`mismatched input '${t?.text ?? '<EOF>'}'. Expecting: an identifier`);
    this.i += 1;
    return t.text.toLowerCase();
  }

  string(): string {
    const t = this.peek();
    if (t?.kind !== 'string') throw new DdlError(`mismatched input '${t?.text ?? '<EOF>'}'. Expecting: a string literal`);
    this.i += 1;
    return t.text;
  }

  done(): boolean {
    while (this.isPunct(';')) this.i += 1;
    return this.i >= this.tokens.length;
  }

  type(): HiveType {
    const t = this.name();
    if (t === 'struct') {
      this.punct('<');
      const fields: Column[] = [];
      do {
        const name = this.name();
        this.punct(':');
        fields.push({ name, type: this.type() });
        if (this.isWord('COMMENT')) {
          this.word('COMMENT');
          this.string();
        }
      } while (this.eat(','));
      this.punct('>');
      return { kind: 'struct', fields };
    }
    if (t === 'array') {
      this.punct('<');
      const of = this.type();
      this.punct('>');
      return { kind: 'array', of };
    }
    if (t === 'map') {
      this.punct('<');
      const key = this.type();
      this.punct(',');
      const value = this.type();
      this.punct('>');
      return { kind: 'map', key, value };
    }
    // decimal(10,2), varchar(65535), char(10): the arguments do not change how JSON is read.
    if (this.isPunct('(')) {
      while (!this.isPunct(')')) this.i += 1;
      this.i += 1;
    }
    return { kind: 'primitive', name: t };
  }

  eat(p: string): boolean {
    if (!this.isPunct(p)) return false;
    this.i += 1;
    return true;
  }

  columns(): Column[] {
    this.punct('(');
    const cols: Column[] = [];
    do {
      const name = this.name();
      cols.push({ name, type: this.type() });
      if (this.isWord('COMMENT')) {
        this.word('COMMENT');
        this.string();
      }
    } while (this.eat(','));
    this.punct(')');
    return cols;
  }

  properties(): Record<string, string> {
    this.punct('(');
    const props: Record<string, string> = {};
    if (this.eat(')')) return props;
    do {
      const k = this.string();
      this.punct('=');
      props[k] = this.string();
    } while (this.eat(','));
    this.punct(')');
    return props;
  }
}

/** The first keywords of a statement, upper case: how Athena tells DDL from a query. */
export function statementKind(sql: string): string {
  try {
    return tokenize(sql)
      .slice(0, 3)
      .map((t) => (t.kind === 'word' ? t.text.toUpperCase() : t.text))
      .join(' ');
  } catch {
    return '';
  }
}

export function parseCreateExternalTable(sql: string): TableDef {
  const p = new Parser(tokenize(sql));
  p.word('CREATE');
  p.word('EXTERNAL');
  p.word('TABLE');
  let ifNotExists = false;
  if (p.isWord('IF')) {
    p.word('IF');
    p.word('NOT');
    p.word('EXISTS');
    ifNotExists = true;
  }
  let name = p.name();
  let database: string | undefined;
  if (p.eat('.')) {
    database = name;
    name = p.name();
  }
  const columns = p.columns();
  const def: TableDef = { name, ifNotExists, columns, partitions: [], location: '', properties: {}, ...(database ? { database } : {}) };
  while (!p.done()) {
    if (p.isWord('COMMENT')) {
      p.word('COMMENT');
      p.string();
    } else if (p.isWord('PARTITIONED')) {
      p.word('PARTITIONED');
      p.word('BY');
      def.partitions = p.columns();
    } else if (p.isWord('ROW')) {
      p.word('ROW');
      p.word('FORMAT');
      p.word('SERDE');
      def.serde = p.string();
      if (p.isWord('WITH')) {
        p.word('WITH');
        p.word('SERDEPROPERTIES');
        p.properties();
      }
    } else if (p.isWord('STORED')) {
      p.word('STORED');
      p.word('AS');
      if (p.isWord('INPUTFORMAT')) {
        p.word('INPUTFORMAT');
        def.inputFormat = p.string();
        p.word('OUTPUTFORMAT');
        p.string();
      } else {
        def.inputFormat = p.name();
      }
    } else if (p.isWord('LOCATION')) {
      p.word('LOCATION');
      def.location = p.string();
    } else if (p.isWord('TBLPROPERTIES')) {
      p.word('TBLPROPERTIES');
      def.properties = p.properties();
    } else {
      throw new DdlError(`mismatched input '${p.peek()?.text ?? '<EOF>'}'. Expecting: 'COMMENT', 'LOCATION', 'PARTITIONED', 'ROW', 'STORED', 'TBLPROPERTIES'`);
    }
  }
  if (!/^s3:\/\/[^/]+/.test(def.location)) throw new DdlError('LOCATION must be an s3:// URI.');
  const seen = new Set<string>();
  for (const c of [...def.columns, ...def.partitions]) {
    if (seen.has(c.name)) throw new DdlError(`Column repeated: ${c.name}`);
    seen.add(c.name);
  }
  return def;
}

/** The type as Athena shows it in table metadata (Hive spelling, lower case). */
export function hiveTypeText(t: HiveType): string {
  switch (t.kind) {
    case 'primitive':
      return t.name;
    case 'struct':
      return `struct<${t.fields.map((f) => `${f.name}:${hiveTypeText(f.type)}`).join(',')}>`;
    case 'array':
      return `array<${hiveTypeText(t.of)}>`;
    case 'map':
      return `map<${hiveTypeText(t.key)},${hiveTypeText(t.value)}>`;
  }
}

const PRIMITIVES: Record<string, string> = {
  string: 'VARCHAR',
  varchar: 'VARCHAR',
  char: 'VARCHAR',
  boolean: 'BOOLEAN',
  tinyint: 'TINYINT',
  smallint: 'SMALLINT',
  int: 'INTEGER',
  integer: 'INTEGER',
  bigint: 'BIGINT',
  float: 'FLOAT',
  double: 'DOUBLE',
  decimal: 'DOUBLE',
  date: 'DATE',
  timestamp: 'TIMESTAMP',
  binary: 'BLOB',
};

const quoteIdent = (s: string): string => `"${s.replace(/"/g, '""')}"`;

/** The engine's (DuckDB's) spelling of a Hive type. */
export function duckType(t: HiveType): string {
  switch (t.kind) {
    case 'primitive': {
      const d = PRIMITIVES[t.name];
      if (!d) throw new DdlError(`Unknown type: ${t.name}`);
      return d;
    }
    case 'struct':
      return `STRUCT(${t.fields.map((f) => `${quoteIdent(f.name)} ${duckType(f.type)}`).join(', ')})`;
    case 'array':
      return `${duckType(t.of)}[]`;
    case 'map':
      return `MAP(${duckType(t.key)}, ${duckType(t.value)})`;
  }
}
