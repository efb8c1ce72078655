import { OPERATORS, type AqlQuery, type Criterion, type Operator } from './ast.ts';
import { ALL_OUTPUT, DEFAULT_OUTPUT, FIELDS, isFieldName, type FieldName } from './fields.ts';
import { aqlError, tokenize, type Punct, type Token } from './lexer.ts';

/**
 * Parses the AQL subset release bundle specs use (jfrog-compat.md §3.1 `spec.queries[].aql`):
 *
 *   items.find(<criteria>, ...) [.include("f", ...)] [.sort({"$asc"|"$desc": ["f", ...]})]
 *                               [.offset(n)] [.limit(n)]
 *
 * Criteria are JSON objects. Several keys in one object, and several objects in `find(...)`,
 * are an implicit `$and`; a plain value is an implicit `$eq`; `{"$gt": 1, "$lt": 9}` is an
 * implicit `$and` of its operators. Keys may repeat (AQL reads criteria as a list, not a map).
 * Every refusal names the problem and where it is.
 */

/** Criteria nest through `$and`/`$or`; deeper than this is not a query anyone writes. */
const MAX_DEPTH = 32;
const MAX_COUNT = 2 ** 31 - 1;

type JsonNode =
  | { kind: 'string'; value: string; at: number }
  | { kind: 'number'; value: number; raw: string; at: number }
  | { kind: 'literal'; value: boolean | null; at: number }
  | { kind: 'array'; items: JsonNode[]; at: number }
  | { kind: 'object'; entries: { key: string; at: number; value: JsonNode }[]; at: number };

type Modifier = 'include' | 'sort' | 'offset' | 'limit';
const MODIFIERS: readonly Modifier[] = ['include', 'sort', 'offset', 'limit'];

export function parseAql(source: string): AqlQuery {
  return new Parser(tokenize(source)).query();
}

class Parser {
  #index = 0;

  constructor(private readonly tokens: Token[]) {}

  query(): AqlQuery {
    const domain = this.#word();
    if (domain.value !== 'items') throw aqlError(`only the "items" domain is supported, not ${JSON.stringify(domain.value)}`, domain.at);
    this.#punct('.');
    const find = this.#word();
    if (find.value !== 'find') throw aqlError(`expected "find" after "items.", found ${JSON.stringify(find.value)}`, find.at);
    const criteria = this.#arguments().map((node) => {
      if (node.kind !== 'object') throw aqlError('find() takes criteria objects', node.at);
      return toCriterion(node);
    });

    const seen = new Map<Modifier, Call>();
    while (this.#peekPunct('.')) {
      this.#next();
      const name = this.#word();
      const modifier = MODIFIERS.find((m) => m === name.value);
      if (!modifier) throw aqlError(`unsupported modifier .${name.value}(); supported: ${MODIFIERS.map((m) => `.${m}()`).join(' ')}`, name.at);
      if (seen.has(modifier)) throw aqlError(`.${modifier}() is given twice`, name.at);
      seen.set(modifier, { at: name.at, args: this.#arguments() });
    }
    const end = this.#next();
    if (end.kind !== 'end') throw aqlError(`unexpected ${describe(end)} after the query`, end.at);

    const joined = criteria.length === 1 ? (criteria[0] as Criterion) : { kind: 'and' as const, criteria };
    const { output, properties } = include(seen.get('include'));
    const query: AqlQuery = {
      // AQL returns files only unless the criteria ask about `type`.
      criteria: mentionsType(joined) ? joined : { kind: 'and', criteria: [joined, { kind: 'field', field: 'type', op: '$eq', value: 'file' }] },
      output,
      properties,
      offset: 0,
    };
    const sortCall = seen.get('sort');
    if (sortCall) query.sort = sort(sortCall, output);
    const offset = seen.get('offset');
    if (offset) query.offset = count(offset, 'offset');
    const limit = seen.get('limit');
    if (limit) query.limit = count(limit, 'limit');
    return query;
  }

  /** `( value, value, ... )`, possibly empty. */
  #arguments(): JsonNode[] {
    this.#punct('(');
    const values: JsonNode[] = [];
    if (this.#peekPunct(')')) {
      this.#next();
      return values;
    }
    for (;;) {
      values.push(this.#value(0));
      const next = this.#next();
      if (next.kind === 'punct' && next.value === ')') return values;
      if (next.kind !== 'punct' || next.value !== ',') throw aqlError(`expected "," or ")", found ${describe(next)}`, next.at);
    }
  }

  #value(depth: number): JsonNode {
    if (depth > MAX_DEPTH) throw aqlError(`criteria nest deeper than ${MAX_DEPTH} levels`, this.#peek().at);
    const token = this.#next();
    switch (token.kind) {
      case 'string':
      case 'number':
        return token;
      case 'word':
        if (token.value === 'true' || token.value === 'false') return { kind: 'literal', value: token.value === 'true', at: token.at };
        if (token.value === 'null') return { kind: 'literal', value: null, at: token.at };
        throw aqlError(`unexpected word ${JSON.stringify(token.value)} (strings need double quotes)`, token.at);
      case 'punct':
        if (token.value === '{') return this.#object(token.at, depth);
        if (token.value === '[') return this.#array(token.at, depth);
        throw aqlError(`expected a value, found ${describe(token)}`, token.at);
      case 'end':
        throw aqlError('the query ends too early', token.at);
    }
  }

  #object(at: number, depth: number): JsonNode {
    const entries: { key: string; at: number; value: JsonNode }[] = [];
    if (this.#peekPunct('}')) {
      this.#next();
      return { kind: 'object', entries, at };
    }
    for (;;) {
      const key = this.#next();
      if (key.kind !== 'string') throw aqlError(`expected a quoted key, found ${describe(key)}`, key.at);
      this.#punct(':');
      entries.push({ key: key.value, at: key.at, value: this.#value(depth + 1) });
      const next = this.#next();
      if (next.kind === 'punct' && next.value === '}') return { kind: 'object', entries, at };
      if (next.kind !== 'punct' || next.value !== ',') throw aqlError(`expected "," or "}", found ${describe(next)}`, next.at);
    }
  }

  #array(at: number, depth: number): JsonNode {
    const items: JsonNode[] = [];
    if (this.#peekPunct(']')) {
      this.#next();
      return { kind: 'array', items, at };
    }
    for (;;) {
      items.push(this.#value(depth + 1));
      const next = this.#next();
      if (next.kind === 'punct' && next.value === ']') return { kind: 'array', items, at };
      if (next.kind !== 'punct' || next.value !== ',') throw aqlError(`expected "," or "]", found ${describe(next)}`, next.at);
    }
  }

  #word(): Extract<Token, { kind: 'word' }> {
    const token = this.#next();
    if (token.kind !== 'word') throw aqlError(`expected a name, found ${describe(token)}`, token.at);
    return token;
  }

  #punct(value: Punct): void {
    const token = this.#next();
    if (token.kind !== 'punct' || token.value !== value) throw aqlError(`expected "${value}", found ${describe(token)}`, token.at);
  }

  #peekPunct(value: Punct): boolean {
    const token = this.#peek();
    return token.kind === 'punct' && token.value === value;
  }

  #peek(): Token {
    // The token list always ends with an 'end' token, which is never consumed past.
    return this.tokens[Math.min(this.#index, this.tokens.length - 1)] as Token;
  }

  #next(): Token {
    const token = this.#peek();
    if (token.kind !== 'end') this.#index++;
    return token;
  }
}

/** Nesting is already bounded by the JSON parse (MAX_DEPTH), so this recursion is too. */
function toCriterion(node: Extract<JsonNode, { kind: 'object' }>): Criterion {
  const criteria = node.entries.map(({ key, at, value }): Criterion => {
    if (key === '$and' || key === '$or') {
      if (value.kind !== 'array' || value.items.length === 0) throw aqlError(`"${key}" takes a non-empty array of criteria objects`, value.at);
      const inner = value.items.map((item) => {
        if (item.kind !== 'object') throw aqlError(`"${key}" takes a non-empty array of criteria objects`, item.at);
        return toCriterion(item);
      });
      return { kind: key === '$and' ? 'and' : 'or', criteria: inner };
    }
    if (key.startsWith('$')) throw aqlError(`${JSON.stringify(key)} is not allowed here: put operators inside a field, e.g. {"name":{"${key}":...}}`, at);
    if (key.startsWith('@')) {
      const property = key.slice(1);
      if (property === '') throw aqlError('"@" needs a property key, e.g. "@build.name"', at);
      return comparisons(value, key, (op, operand) => ({ kind: 'property', key: property, op, value: propertyValue(operand, key) }));
    }
    if (!isFieldName(key)) throw aqlError(`unknown field ${JSON.stringify(key)}; supported: ${Object.keys(FIELDS).join(', ')} and @<property>`, at);
    return comparisons(value, key, (op, operand) => ({ kind: 'field', field: key, op, value: fieldOperand(key, op, operand) }));
  });
  return criteria.length === 1 ? (criteria[0] as Criterion) : { kind: 'and', criteria };
}

type Operand = Extract<JsonNode, { kind: 'string' | 'number' }>;

/** `"v"` (implicit $eq) or `{"$op": v, ...}` (implicit $and). */
function comparisons(value: JsonNode, key: string, make: (op: Operator, operand: Operand) => Criterion): Criterion {
  if (value.kind === 'string' || value.kind === 'number') return make('$eq', value);
  if (value.kind !== 'object' || value.entries.length === 0) {
    throw aqlError(`${JSON.stringify(key)} takes a string, a number or an object of operators such as {"$eq": ...}`, value.at);
  }
  const parts = value.entries.map((entry) => {
    const op = OPERATORS.find((o) => o === entry.key);
    if (!op) throw aqlError(`unknown operator ${JSON.stringify(entry.key)} on ${JSON.stringify(key)}; supported: ${OPERATORS.join(' ')}`, entry.at);
    if (entry.value.kind !== 'string' && entry.value.kind !== 'number')
      throw aqlError(`${op} on ${JSON.stringify(key)} takes a string or a number`, entry.value.at);
    return make(op, entry.value);
  });
  return parts.length === 1 ? (parts[0] as Criterion) : { kind: 'and', criteria: parts };
}

function propertyValue(operand: Operand, key: string): string {
  // Property values are text; a bare number is read as its JSON spelling ("@build.number": 5).
  if (operand.kind === 'number') return operand.raw;
  if (operand.value.length > 4096) throw aqlError(`the value for ${key} is too long`, operand.at);
  return operand.value;
}

function fieldOperand(field: FieldName, op: Operator, operand: Operand): string | number {
  const kind = FIELDS[field].kind;
  const name = JSON.stringify(field);
  if ((op === '$match' || op === '$nmatch') && kind !== 'text') throw aqlError(`${op} applies to text fields and properties, not ${name}`, operand.at);
  switch (kind) {
    case 'text':
      if (operand.kind !== 'string') throw aqlError(`${name} takes a string`, operand.at);
      return operand.value;
    case 'type':
      if (op !== '$eq' && op !== '$ne') throw aqlError(`"type" takes only $eq and $ne`, operand.at);
      if (operand.kind !== 'string' || !['file', 'folder', 'any'].includes(operand.value)) throw aqlError('"type" is "file", "folder" or "any"', operand.at);
      return operand.value;
    case 'number': {
      const value = operand.kind === 'number' ? operand.value : /^-?\d{1,16}$/.test(operand.value) ? Number(operand.value) : NaN;
      if (!Number.isSafeInteger(value)) throw aqlError(`${name} takes an integer`, operand.at);
      return value;
    }
    case 'date': {
      // ISO 8601 as AQL examples write them ("2024-01-31" or with a time), or ms since the epoch.
      const value = operand.kind === 'number' ? operand.value : /^\d{4}-\d{2}-\d{2}/.test(operand.value) ? Date.parse(operand.value) : NaN;
      if (!Number.isFinite(value)) throw aqlError(`${name} takes an ISO 8601 date such as "2024-01-31T12:00:00Z"`, operand.at);
      return value;
    }
  }
}

/** `.include(...)`: item fields replace the default set; property entries add properties. */
interface Call {
  /** Where the modifier's name is, for errors about the call as a whole. */
  at: number;
  args: JsonNode[];
}

function include(call: Call | undefined): Pick<AqlQuery, 'output' | 'properties'> {
  if (!call) return { output: [...DEFAULT_OUTPUT], properties: 'none' };
  const { at, args } = call;
  if (args.length === 0) throw aqlError('.include() needs at least one field', at);
  const fields: FieldName[] = [];
  let properties: 'all' | 'none' | string[] = 'none';
  for (const arg of args) {
    if (arg.kind !== 'string') throw aqlError('.include() takes field names as strings', arg.at);
    const name = arg.value;
    if (name === '*') fields.push(...ALL_OUTPUT);
    else if (isFieldName(name)) fields.push(name);
    else if (name === '@' || name === 'property' || name === 'property.*' || name === 'property.key' || name === 'property.value') properties = 'all';
    else if (name.startsWith('@')) {
      if (properties !== 'all') properties = [...(properties === 'none' ? [] : properties), name.slice(1)];
    } else throw aqlError(`cannot include ${JSON.stringify(name)}; supported: *, ${Object.keys(FIELDS).join(', ')}, @, @<property>`, arg.at);
  }
  // JFrog: naming any item field replaces the defaults; naming only properties keeps them.
  return { output: fields.length ? [...new Set(fields)] : [...DEFAULT_OUTPUT], properties };
}

function sort({ at, args }: Call, output: FieldName[]): NonNullable<AqlQuery['sort']> {
  const [arg] = args;
  if (args.length !== 1 || arg?.kind !== 'object' || arg.entries.length !== 1) {
    throw aqlError('.sort() takes one object: {"$asc": [fields]} or {"$desc": [fields]}', arg?.at ?? at);
  }
  const { key, value } = arg.entries[0] as { key: string; at: number; value: JsonNode };
  if (key !== '$asc' && key !== '$desc') throw aqlError(`.sort() direction is "$asc" or "$desc", not ${JSON.stringify(key)}`, arg.at);
  if (value.kind !== 'array' || value.items.length === 0) throw aqlError(`.sort() needs a non-empty array of fields`, value.at);
  const fields = value.items.map((item) => {
    if (item.kind !== 'string') throw aqlError('.sort() fields are strings', item.at);
    // JFrog: "You can only specify sorting on fields that are displayed in the output".
    if (!isFieldName(item.value) || !output.includes(item.value)) {
      throw aqlError(`cannot sort on ${JSON.stringify(item.value)}: only fields shown in the output (${output.join(', ')})`, item.at);
    }
    return item.value;
  });
  return { direction: key === '$asc' ? 'asc' : 'desc', fields };
}

function count({ at, args }: Call, name: 'offset' | 'limit'): number {
  const [arg] = args;
  if (args.length !== 1 || arg?.kind !== 'number' || !/^\d+$/.test(arg.raw) || arg.value > MAX_COUNT) {
    throw aqlError(`.${name}() takes one non-negative integer`, arg?.at ?? at);
  }
  return arg.value;
}

function mentionsType(criterion: Criterion): boolean {
  if (criterion.kind === 'and' || criterion.kind === 'or') return criterion.criteria.some(mentionsType);
  return criterion.kind === 'field' && criterion.field === 'type';
}

function describe(token: Token): string {
  switch (token.kind) {
    case 'end':
      return 'the end of the query';
    case 'string':
      return `the string ${JSON.stringify(token.value.length > 40 ? `${token.value.slice(0, 37)}...` : token.value)}`;
    case 'number':
      return `the number ${token.raw}`;
    default:
      return JSON.stringify(token.value);
  }
}
