import { beforeAll, describe, expect, it } from 'vitest';
import { checksumsOf } from '../../protocol/checksums.ts';
import { errorOf, T0, testSource, type TestSource } from './__fixtures__/test-source.ts';

const HOUR = 3_600_000;
const iso = (ms: number) => new Date(ms).toISOString();

/**
 * libs/org/app/1.0/app-1.0.jar  10 bytes  T0      build.name=app build.number=1
 * libs/org/app/2.0/app-2.0.jar  20 bytes  T0+1h   build.name=app build.number=2
 * libs/org/app/2.0/app-2.0.pom   5 bytes  T0+2h
 * docs/readme.md                 3 bytes  T0+3h   status=released,final
 */
let src: TestSource;
beforeAll(async () => {
  src = testSource();
  await src.repo('libs');
  await src.repo('docs');
  await src.deploy('libs/org/app/1.0/app-1.0.jar;build.name=app;build.number=1', 'j'.repeat(10));
  src.clock.now = T0 + HOUR;
  await src.deploy('libs/org/app/2.0/app-2.0.jar;build.name=app;build.number=2', 'j'.repeat(20));
  src.clock.now = T0 + 2 * HOUR;
  await src.deploy('libs/org/app/2.0/app-2.0.pom', 'p'.repeat(5));
  src.clock.now = T0 + 3 * HOUR;
  await src.deploy('docs/readme.md;status=released;status=final', 'r'.repeat(3));
});

const names = async (query: string): Promise<unknown[]> => (await src.aql(query)).results.map((r) => r.name);
const find = (criteria: unknown) => names(`items.find(${JSON.stringify(criteria)})`);

describe('AQL: answer shape (POST /api/search/aql)', () => {
  it('answers results with the default fields and a range, as Artifactory does', async () => {
    const res = await src.call('POST', '/artifactory/api/search/aql', { body: 'items.find({"repo":"docs"})', headers: { 'content-type': 'text/plain' } });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({
      results: [
        {
          repo: 'docs',
          path: '.',
          name: 'readme.md',
          type: 'file',
          size: 3,
          created: iso(T0 + 3 * HOUR),
          created_by: 'admin',
          modified: iso(T0 + 3 * HOUR),
          modified_by: 'admin',
          updated: iso(T0 + 3 * HOUR),
        },
      ],
      range: { start_pos: 0, end_pos: 1, total: 1 },
    });
  });

  it('returns files only unless the criteria ask about type; sorts by repo, path, name by default', async () => {
    expect(await names('items.find()')).toEqual(['readme.md', 'app-1.0.jar', 'app-2.0.jar', 'app-2.0.pom']);
    expect(await find({ type: 'folder' })).toEqual(['org', 'app', '1.0', '2.0']);
    expect(await find({ type: 'any', repo: 'libs', path: { $match: 'org/app*' } })).toEqual(['1.0', '2.0', 'app-1.0.jar', 'app-2.0.jar', 'app-2.0.pom']);
    expect(await find({ type: { $ne: 'file' }, name: 'app' })).toEqual(['app']);
    const folder = (await src.aql('items.find({"type":"folder","name":"org"})')).results[0];
    expect(folder).toMatchObject({ repo: 'libs', path: '.', name: 'org', type: 'folder', size: 0 });
  });
});

describe('AQL: operators', () => {
  it('$eq, explicit and implicit, on repo, path and name', async () => {
    expect(await find({ repo: 'docs' })).toEqual(['readme.md']);
    expect(await find({ name: { $eq: 'app-1.0.jar' } })).toEqual(['app-1.0.jar']);
    expect(await find({ path: 'org/app/2.0' })).toEqual(['app-2.0.jar', 'app-2.0.pom']);
    expect(await find({ path: '.' })).toEqual(['readme.md']);
    expect(await find({ name: 'APP-1.0.JAR' })).toEqual([]);
  });

  it('$ne', async () => {
    expect(await find({ repo: { $ne: 'libs' } })).toEqual(['readme.md']);
  });

  it('$match and $nmatch with * and ?', async () => {
    expect(await find({ name: { $match: '*.jar' } })).toEqual(['app-1.0.jar', 'app-2.0.jar']);
    expect(await find({ name: { $match: 'app-?.0.*' } })).toEqual(['app-1.0.jar', 'app-2.0.jar', 'app-2.0.pom']);
    // '*' spans separators in a path.
    expect(await find({ path: { $match: 'org*2.0' } })).toEqual(['app-2.0.jar', 'app-2.0.pom']);
    expect(await find({ name: { $nmatch: '*.jar' } })).toEqual(['readme.md', 'app-2.0.pom']);
  });

  it('$gt $gte $lt $lte on size, numbers or numeric strings', async () => {
    expect(await find({ size: { $gt: 5 } })).toEqual(['app-1.0.jar', 'app-2.0.jar']);
    expect(await find({ size: { $gte: '5' } })).toEqual(['app-1.0.jar', 'app-2.0.jar', 'app-2.0.pom']);
    expect(await find({ size: { $lt: 10 } })).toEqual(['readme.md', 'app-2.0.pom']);
    expect(await find({ size: { $lte: 10 } })).toEqual(['readme.md', 'app-1.0.jar', 'app-2.0.pom']);
    expect(await find({ size: 20 })).toEqual(['app-2.0.jar']);
    // Several operators on one field are an implicit $and.
    expect(await find({ size: { $gt: 3, $lt: 20 } })).toEqual(['app-1.0.jar', 'app-2.0.pom']);
  });

  it('compares created and modified as dates', async () => {
    expect(await find({ created: { $gt: iso(T0 + HOUR / 2) } })).toEqual(['readme.md', 'app-2.0.jar', 'app-2.0.pom']);
    expect(await find({ created: { $lte: iso(T0) } })).toEqual(['app-1.0.jar']);
    expect(await find({ modified: { $gte: iso(T0 + 2 * HOUR), $lt: iso(T0 + 3 * HOUR) } })).toEqual(['app-2.0.pom']);
    expect(await find({ modified: { $lt: '2026-01-15' } })).toEqual([]);
    expect(await find({ created: iso(T0 + HOUR) })).toEqual(['app-2.0.jar']);
  });

  it('text fields compare by code units with $gt/$lt', async () => {
    expect(await find({ name: { $gt: 'app-2' } })).toEqual(['readme.md', 'app-2.0.jar', 'app-2.0.pom']);
    expect(await find({ sha256: checksumsOf('r'.repeat(3)).sha256 })).toEqual(['readme.md']);
  });

  it('$and, $or, several keys and several find() arguments', async () => {
    expect(await find({ $and: [{ repo: 'libs' }, { name: { $match: '*.pom' } }] })).toEqual(['app-2.0.pom']);
    expect(await find({ $or: [{ repo: 'docs' }, { name: { $match: '*.pom' } }] })).toEqual(['readme.md', 'app-2.0.pom']);
    expect(await find({ repo: 'libs', name: { $match: '*-2.0.*' } })).toEqual(['app-2.0.jar', 'app-2.0.pom']);
    expect(await names('items.find({"repo":"libs"}, {"name":{"$match":"*.jar"}})')).toEqual(['app-1.0.jar', 'app-2.0.jar']);
    expect(await find({ $or: [{ $and: [{ repo: 'libs' }, { size: { $gt: 15 } }] }, { repo: 'docs' }] })).toEqual(['readme.md', 'app-2.0.jar']);
    // Keys may repeat: AQL reads criteria as a list.
    expect(await names('items.find({"name":{"$match":"app*"},"name":{"$nmatch":"*.pom"}})')).toEqual(['app-1.0.jar', 'app-2.0.jar']);
  });

  it('@property with every operator; negative operators include items without the key', async () => {
    expect(await find({ '@build.name': 'app' })).toEqual(['app-1.0.jar', 'app-2.0.jar']);
    expect(await names('items.find({"@build.number":2})')).toEqual(['app-2.0.jar']);
    expect(await find({ '@build.number': { $gt: '1' } })).toEqual(['app-2.0.jar']);
    expect(await find({ '@build.number': { $gte: '1', $lte: '1' } })).toEqual(['app-1.0.jar']);
    expect(await find({ '@build.number': { $lt: '2' } })).toEqual(['app-1.0.jar']);
    expect(await find({ '@status': { $match: 'rel*' } })).toEqual(['readme.md']);
    // Any value of a multi-valued key may satisfy a positive operator.
    expect(await find({ '@status': 'final' })).toEqual(['readme.md']);
    expect(await find({ '@build.number': { $ne: '1' } })).toEqual(['readme.md', 'app-2.0.jar', 'app-2.0.pom']);
    expect(await find({ '@status': { $nmatch: 'fin*' } })).toEqual(['app-1.0.jar', 'app-2.0.jar', 'app-2.0.pom']);
  });
});

describe('AQL: include, sort, offset, limit', () => {
  it('include replaces the default fields; "*" shows all; properties are added as {key,value}', async () => {
    expect((await src.aql('items.find({"repo":"docs"}).include("name","repo")')).results).toEqual([{ name: 'readme.md', repo: 'docs' }]);
    const all = (await src.aql('items.find({"repo":"docs"}).include("*")')).results[0];
    expect(all).toMatchObject({
      sha256: checksumsOf('rrr').sha256,
      actual_sha1: checksumsOf('rrr').sha1,
      actual_md5: checksumsOf('rrr').md5,
      created_by: 'admin',
    });
    const withProps = (await src.aql('items.find({"repo":"docs"}).include("@status")')).results[0];
    expect(withProps).toMatchObject({ name: 'readme.md', type: 'file', size: 3 });
    expect(withProps?.properties).toEqual([
      { key: 'status', value: 'released' },
      { key: 'status', value: 'final' },
    ]);
    const oneKey = (await src.aql('items.find({"name":"app-1.0.jar"}).include("name","@build.number")')).results;
    expect(oneKey).toEqual([{ name: 'app-1.0.jar', properties: [{ key: 'build.number', value: '1' }] }]);
    const allProps = (await src.aql('items.find({"name":"app-1.0.jar"}).include("name","@")')).results[0];
    expect(allProps?.properties).toEqual([
      { key: 'build.name', value: 'app' },
      { key: 'build.number', value: '1' },
    ]);
    // An item without the requested properties shows none.
    expect((await src.aql('items.find({"name":"app-2.0.pom"}).include("name","property.*")')).results).toEqual([{ name: 'app-2.0.pom' }]);
  });

  it('sorts ascending and descending on several fields, stable on ties', async () => {
    expect(await names('items.find().sort({"$desc":["size"]})')).toEqual(['app-2.0.jar', 'app-1.0.jar', 'app-2.0.pom', 'readme.md']);
    expect(await names('items.find().sort({"$asc":["repo","size"]})')).toEqual(['readme.md', 'app-2.0.pom', 'app-1.0.jar', 'app-2.0.jar']);
    expect(await names('items.find().sort({"$desc":["created"]})')).toEqual(['readme.md', 'app-2.0.pom', 'app-2.0.jar', 'app-1.0.jar']);
    expect(await names('items.find({"repo":"libs"}).include("name","path").sort({"$desc":["path"]})')).toEqual(['app-2.0.jar', 'app-2.0.pom', 'app-1.0.jar']);
  });

  it('pages with offset and limit and says so in range', async () => {
    const page = await src.aql('items.find().sort({"$asc":["name"]}).offset(1).limit(2)');
    expect(page.results.map((r) => r.name)).toEqual(['app-2.0.jar', 'app-2.0.pom']);
    expect(page.range).toEqual({ start_pos: 1, end_pos: 3, total: 2, limit: 2 });
    expect((await src.aql('items.find().offset(3)')).range).toEqual({ start_pos: 3, end_pos: 4, total: 1 });
    expect((await src.aql('items.find().offset(10).limit(5)')).results).toEqual([]);
    expect((await src.aql('items.find().limit(0)')).results).toEqual([]);
    // Modifiers may come in any order.
    expect(await names('items.find().limit(1).sort({"$desc":["name"]})')).toEqual(['readme.md']);
  });
});

describe('AQL: malformed queries are a 400 naming the problem', () => {
  it.each([
    ['', 'the body must be a query'],
    ['builds.find()', 'only the "items" domain'],
    ['items.search()', 'expected "find"'],
    ['items.find(', 'the query ends too early'],
    ['items.find({"repo":"libs"}', 'expected "," or ")"'],
    ['items.find({"name":{"$match":"*.jar"})', 'expected "," or "}"'],
    ['items.find({repo:"libs"})', 'expected a quoted key'],
    ["items.find({'repo':'libs'})", 'unexpected character'],
    ['items.find({"repo":libs})', 'strings need double quotes'],
    ['items.find({"repo":"li\nbs"})', 'control character'],
    ['items.find({"repo":"libs\\x"})', 'unknown escape'],
    ['items.find({"repo":"libs})', 'unterminated string'],
    ['items.find({"colour":"red"})', 'unknown field "colour"'],
    ['items.find({"name":{"$like":"a"}})', 'unknown operator "$like"'],
    ['items.find({"$eq":"a"})', '"$eq" is not allowed here'],
    ['items.find({"$or":{"repo":"a"}})', '"$or" takes a non-empty array'],
    ['items.find({"$and":[]})', '"$and" takes a non-empty array'],
    ['items.find({"$and":["a"]})', '"$and" takes a non-empty array'],
    ['items.find({"name":["a"]})', '"name" takes a string, a number or an object of operators'],
    ['items.find({"name":{}})', '"name" takes a string, a number or an object of operators'],
    ['items.find({"name":{"$eq":null}})', '$eq on "name" takes a string or a number'],
    ['items.find({"name":5})', '"name" takes a string'],
    ['items.find({"size":"big"})', '"size" takes an integer'],
    ['items.find({"size":{"$match":"1*"}})', '$match applies to text fields'],
    ['items.find({"created":"yesterday"})', '"created" takes an ISO 8601 date'],
    ['items.find({"type":"link"})', '"type" is "file", "folder" or "any"'],
    ['items.find({"type":{"$gt":"file"}})', '"type" takes only $eq and $ne'],
    ['items.find({"@":"x"})', '"@" needs a property key'],
    ['items.find("repo")', 'find() takes criteria objects'],
    ['items.find().include()', '.include() needs at least one field'],
    ['items.find().include("colour")', 'cannot include "colour"'],
    ['items.find().include(1)', '.include() takes field names as strings'],
    ['items.find().sort({"$up":["name"]})', 'direction is "$asc" or "$desc"'],
    ['items.find().sort({"$asc":"name"})', 'non-empty array of fields'],
    ['items.find().sort()', '.sort() takes one object'],
    ['items.find().include("name").sort({"$asc":["size"]})', 'cannot sort on "size": only fields shown in the output'],
    ['items.find().limit(-1)', '.limit() takes one non-negative integer'],
    ['items.find().offset(1.5)', '.offset() takes one non-negative integer'],
    ['items.find().limit("3")', '.limit() takes one non-negative integer'],
    ['items.find().limit(1).limit(2)', '.limit() is given twice'],
    ['items.find().distinct(false)', 'unsupported modifier .distinct()'],
    ['items.find() extra', 'unexpected "extra" after the query'],
    ['items.find({"size":-})', 'malformed number'],
    [`items.find(${'{"$and":['.repeat(40)}{"repo":"a"}${']}'.repeat(40)})`, 'criteria nest deeper than 32 levels'],
  ])('%s', async (query, problem) => {
    const res = await src.call('POST', '/artifactory/api/search/aql', { body: query });
    const error = await errorOf(res);
    expect(error.status).toBe(400);
    expect(error.message).toContain(problem);
    expect(error.message).toMatch(/^AQL: /);
  });

  it('says where the problem is', async () => {
    const error = await errorOf(await src.call('POST', '/artifactory/api/search/aql', { body: 'items.find({"colour":"red"})' }));
    expect(error.message).toBe(
      'AQL: unknown field "colour"; supported: repo, path, name, type, size, created, created_by, modified, modified_by, updated, sha256, actual_sha1, actual_md5 and @<property> (at character 13).',
    );
  });
});
