import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { INestApplication } from '@nestjs/common';
import { plainToInstance } from 'class-transformer';
import fc from 'fast-check';
import { isDeepStrictEqual } from 'node:util';
import {
  FALKOR_EVENT_CATALOG,
  FalkorValidationError,
  signFalkorPayload,
  validateFalkorPayload,
} from '../../src/index.js';
import { validateFalkorPayloadStraight } from '../../src/events/event-validator.js';
import { FALKOR_PLAN_DECLINED, falkorPayloadPlan } from '../../src/events/payload.plan.js';
import { findUndocumentedFalkorValues } from '../../src/events/value.drift.js';
import {
  adapters,
  createApp,
  postRaw,
  RecordingListener,
  TEST_SECRET,
  webhookModule,
} from '../support/apps.js';
import { CORE_RUNS } from './arbitraries.js';
import {
  anyReplacement,
  type BodyOptions,
  byProperty,
  CATALOG_TYPES,
  type CatalogType,
  documentedFieldCount,
  expectedPayloadTree,
  expectedUndocumented,
  type JsonObject,
  jsonRoundTrip,
  PLAIN_BODY,
  plainJson,
  PROTOTYPE_KEYS,
  safeKey,
  structuralMutation,
  tree,
  type Tree,
  validBody,
} from './catalog.arbitraries.js';

/** Runs per adapter: each one is a real HTTP request to one app that stays up. */
const HTTP_RUNS = 100;

/** Object.prototype's names that class-transformer and the plan both leave unset on a DTO. */
const DTO_ODD_KEYS = PROTOTYPE_KEYS.filter((key) => key !== '__proto__');

/**
 * The same names inside values no DTO describes, but `constructor`: class-transformer throws on
 * it there (see "found in src" below).
 */
const PLAIN_ODD_KEYS = DTO_ODD_KEYS.filter((key) => key !== 'constructor');

const oddKey = (names: readonly string[]) =>
  fc.oneof({ weight: 2, arbitrary: fc.constantFrom(...names) }, safeKey);

/** Values with Object.prototype's names as keys, among others. */
const oddValue = fc.oneof(
  plainJson,
  fc.dictionary(oddKey(PLAIN_ODD_KEYS), plainJson, {
    minKeys: 1,
    maxKeys: 3,
    noNullPrototype: true,
  }),
);

/** Deliveries whose unknown fields are often named `toString`, `constructor`, `hasOwnProperty`... */
const ODD_BODY: BodyOptions = {
  ...PLAIN_BODY,
  extraKey: oddKey(DTO_ODD_KEYS),
  extraValue: oddValue,
};

const SHARED_MUTATIONS = [
  'a list replaced by a non-list',
  'a list replaced by an object',
  'a record replaced by a non-object',
  'an object replaced by a non-object',
  'deleted',
  'text field replaced by a wrong type',
];

/** Every kind of structural fault each type's deliveries can have. */
const MUTATIONS: Record<CatalogType, string[]> = {
  enrolments: [
    ...SHARED_MUTATIONS,
    'integer field replaced by a wrong type',
    'number field replaced by a wrong type',
  ].sort(),
  events: [
    ...SHARED_MUTATIONS,
    'count field replaced by a wrong type',
    'object field replaced by a wrong type',
  ].sort(),
  rewards: [...SHARED_MUTATIONS].sort(),
};

/**
 * Asserts two trees are the same, with node's quick deep comparison (`Object.is` on primitives, as
 * `toStrictEqual`), jest's only for the report of a difference.
 */
function expectSameTree(actual: Tree, expected: Tree): void {
  if (!isDeepStrictEqual(actual, expected)) {
    expect(actual).toStrictEqual(expected);
    throw new Error('node:util finds the trees different, jest finds them equal');
  }
}

/** Whether a key of `names` appears at any depth of a value. */
function holdsKeyOf(value: unknown, names: ReadonlySet<string>): boolean {
  if (typeof value !== 'object' || value === null) {
    return false;
  }
  return Object.entries(value).some(([key, inner]) => names.has(key) || holdsKeyOf(inner, names));
}

type Outcome = { accepted: true; instance: object } | { accepted: false; error: unknown };

async function outcomeOf(run: () => object | Promise<object>): Promise<Outcome> {
  try {
    return { accepted: true, instance: await run() };
  } catch (error) {
    return { accepted: false, error };
  }
}

/** The property paths of the validation error a call rejects with (and fails when it does not). */
async function failingPaths(run: () => object | Promise<object>): Promise<string[]> {
  const outcome = await outcomeOf(run);
  expect(outcome.accepted).toBe(false);
  const { error } = outcome as { error: unknown };
  expect(error).toBeInstanceOf(FalkorValidationError);
  const issues = (error as FalkorValidationError).issues;
  for (const issue of issues) {
    expect(Object.keys(issue.constraints).length).toBeGreaterThan(0);
  }
  return issues.map((issue) => issue.property);
}

describe.each(CATALOG_TYPES)('the %s catalog DTO (property-based)', (type: CatalogType) => {
  const dto = FALKOR_EVENT_CATALOG[type];
  const plan = falkorPayloadPlan(dto)!;

  it('generates what the rules allow: several records, null/""/absent fields, odd strings', () => {
    const bodies = fc.sample(validBody(type), { numRuns: 300, seed: 1 });
    const text = JSON.stringify(bodies);
    const records = bodies.map((body) => ((body.data as JsonObject)[type] as unknown[]).length);
    expect(records.some((count) => count === 0)).toBe(true);
    expect(records.some((count) => count >= 2)).toBe(true);
    expect(text).toMatch(/:null/);
    expect(text).toMatch(/:""/);
    expect(text).toMatch(/[\ud800-\udbff][\udc00-\udfff]/);
    expect(bodies.some((body) => Object.keys(body).length > 2)).toBe(true);
    expect(bodies.some((body) => expectedUndocumented(type, body).length > 0)).toBe(true);
    if (type === 'events') {
      expect(text).toMatch(/"(booked|available)":"\d+"/);
      expect(text).toMatch(/"(booked|available)":\d/);
    }
  });

  it('accepts every valid delivery, the plan building an instance that keeps every value', async () => {
    await fc.assert(
      fc.asyncProperty(validBody(type), async (body) => {
        const before = jsonRoundTrip(body);
        // A valid catalog delivery is built by the compiled plan, not left to the stock path.
        expect(falkorPayloadPlan(dto)!(body)).not.toBe(FALKOR_PLAN_DECLINED);
        expectSameTree(
          tree(await validateFalkorPayload(dto, type, body)),
          expectedPayloadTree(type, body),
        );
        expectSameTree(tree(body), tree(before));
      }),
      { numRuns: CORE_RUNS },
    );
  });

  it('decides and builds as the stock path, on valid, mutated and odd-keyed deliveries', async () => {
    const counts = { accepted: 0, declined: 0, oddKeys: 0 };
    const oddKeys = new Set(DTO_ODD_KEYS);
    const bodies = fc.oneof(
      validBody(type, ODD_BODY),
      structuralMutation(type, ODD_BODY).map((mutation) => mutation.body),
      anyReplacement(type, oddValue, ODD_BODY).map((mutation) => mutation.body),
    );
    await fc.assert(
      fc.asyncProperty(bodies, async (body) => {
        const before = jsonRoundTrip(body);
        counts.oddKeys += holdsKeyOf(body, oddKeys) ? 1 : 0;
        const planned = plan(body);
        expectSameTree(tree(body), tree(before));
        const stock = await outcomeOf(() => validateFalkorPayloadStraight(dto, type, body));
        if (!stock.accepted) {
          expect(stock.error).toBeInstanceOf(FalkorValidationError);
        }
        // The plan accepts exactly what the stock path accepts.
        expect(planned !== FALKOR_PLAN_DECLINED).toBe(stock.accepted);
        if (stock.accepted) {
          counts.accepted++;
          expectSameTree(tree(planned), tree(plainToInstance(dto, body)));
          expectSameTree(tree(planned), tree(stock.instance));
        } else {
          counts.declined++;
        }
      }),
      { numRuns: CORE_RUNS },
    );
    expect(counts.accepted).toBeGreaterThan(CORE_RUNS / 5);
    expect(counts.declined).toBeGreaterThan(CORE_RUNS / 5);
    expect(counts.oddKeys).toBeGreaterThan(CORE_RUNS / 2);
  });

  it('refuses every structural fault, naming the faulty property by its full path', async () => {
    const seen = new Set<string>();
    await fc.assert(
      fc.asyncProperty(structuralMutation(type), async ({ body, path, what }) => {
        seen.add(what);
        expect(plan(body)).toBe(FALKOR_PLAN_DECLINED);
        expect(await failingPaths(() => validateFalkorPayload(dto, type, body))).toContain(path);
      }),
      { numRuns: CORE_RUNS },
    );
    expect([...seen].sort()).toEqual(MUTATIONS[type]);
  });

  it('finds exactly the values the docs do not list, by their full paths', async () => {
    const counts = { documented: 0, undocumented: 0 };
    await fc.assert(
      fc.asyncProperty(validBody(type), async (body) => {
        const found = findUndocumentedFalkorValues(await validateFalkorPayload(dto, type, body));
        const expected = expectedUndocumented(type, body);
        expect(found.map(({ property, value }) => ({ property, value })).sort(byProperty)).toEqual(
          expected,
        );
        for (const undocumented of found) {
          expect(undocumented.field).toBe(undocumented.property.replace(/\.\d+(?=\.|$)/g, '.*'));
          expect(undocumented.documented).not.toBe('');
        }
        counts.undocumented += expected.length;
        counts.documented += documentedFieldCount(type, body) - expected.length;
      }),
      { numRuns: CORE_RUNS },
    );
    expect(counts.undocumented).toBeGreaterThan(CORE_RUNS / 2);
    expect(counts.documented).toBeGreaterThan(CORE_RUNS / 2);
  });

  it('finds nothing in a delivery holding only documented values', async () => {
    const documentedOnly = validBody(type, { ...PLAIN_BODY, documentedOnly: true });
    await fc.assert(
      fc.asyncProperty(documentedOnly, async (body) => {
        expect(expectedUndocumented(type, body)).toEqual([]);
        expect(findUndocumentedFalkorValues(await validateFalkorPayload(dto, type, body))).toEqual(
          [],
        );
      }),
      { numRuns: CORE_RUNS },
    );
  });
});

describe.each(adapters)('catalog deliveries over HTTP to %s (property-based)', (adapter) => {
  let app: INestApplication;
  let listener: RecordingListener;

  beforeAll(async () => {
    app = await createApp(adapter, [webhookModule()], { providers: [RecordingListener] });
    listener = app.get(RecordingListener);
  });
  afterAll(() => app.close());

  function post(body: string) {
    return postRaw(app, '/webhooks/falkor', body, {
      'Content-Type': 'application/json',
      'Falkor-Webhook-Signature': signFalkorPayload(body, TEST_SECRET),
    });
  }

  it(`delivers valid ones intact and refuses faulty ones with 400 naming the path (${HTTP_RUNS} requests)`, async () => {
    const counts = { valid: 0, faulty: 0 };
    const deliveries = fc.constantFrom(...CATALOG_TYPES).chain((type) =>
      fc.oneof(
        validBody(type).map((body) => ({ type, body, path: undefined as string | undefined })),
        structuralMutation(type).map(({ body, path }) => ({ type, body, path })),
      ),
    );
    await fc.assert(
      fc.asyncProperty(deliveries, async ({ type, body, path }) => {
        const bytes = JSON.stringify(body);
        const before = listener.received.length;
        const response = await post(bytes);
        expect(response.status).toBeLessThan(500);
        if (path === undefined) {
          counts.valid++;
          expect(response.status).toBe(200);
          expect(response.body).toEqual({ received: true, type, listeners: 1 });
          expect(listener.received).toHaveLength(before + 1);
          const event = listener.received[before];
          expect(event.type).toBe(type);
          expect(event.rawBody.toString('utf8')).toBe(bytes);
          expectSameTree(tree(event.payload), expectedPayloadTree(type, body));
        } else {
          counts.faulty++;
          expect(response.status).toBe(400);
          expect(listener.received).toHaveLength(before);
          const answer = response.body as { error: string; errors?: { property: string }[] };
          if (path === 'type') {
            // Without a string `type` the route cannot tell which DTO to use.
            expect(answer).toMatchObject({ error: 'Bad Request', code: 'payload_invalid' });
          } else {
            expect(answer).toMatchObject({ error: 'Bad Request', code: 'validation_failed' });
            expect(answer.errors?.map((issue) => issue.property)).toContain(path);
          }
        }
      }),
      { numRuns: HTTP_RUNS },
    );
    expect(counts.valid).toBeGreaterThan(HTTP_RUNS / 5);
    expect(counts.faulty).toBeGreaterThan(HTTP_RUNS / 5);
  });

  // class-validator's isEmail throws a URIError on a lone surrogate, and the drift check calls it
  // on every present e-mail: a signed, valid delivery must still get 200.
  it('answers 200, not 500, to a valid delivery whose e-mail is a lone surrogate', async () => {
    const response = await post(
      '{"type":"enrolments","data":{"pathway":{"ID":"p"},"enrolments":[{"email":"\\ud83d","status":{"state":"Complete"}}]}}',
    );
    expect(response.status).toBe(200);
  });

  // class-transformer throws a TypeError on an own "constructor" key of an object no DTO
  // describes: a body is never a 5xx.
  it('answers 400, not 500, to a faulty delivery holding {"constructor": 1}', async () => {
    const response = await post(
      '{"type":"rewards","data":{"pathway":{"x":{"constructor":1}},"rewards":[]}}',
    );
    expect(response.status).toBe(400);
  });
});

// Edge cases the generators found once, kept as regression tests.
describe('edge cases', () => {
  const rewards = FALKOR_EVENT_CATALOG.rewards;

  it('the stock path refuses, not throws on, an unknown object with a "constructor" key', async () => {
    const body = { type: 'rewards', data: { pathway: { x: { constructor: 1 } }, rewards: [] } };
    expect(
      await failingPaths(() => validateFalkorPayloadStraight(rewards, 'rewards', body)),
    ).toContain('data.pathway.ID');
  });

  it('with validatorOptions, a valid delivery with an unknown {"constructor": 1} is accepted', async () => {
    const body = {
      type: 'rewards',
      data: { pathway: { ID: 'p', x: { constructor: 1 } }, rewards: [] },
    };
    expect(planOf(rewards)(body)).not.toBe(FALKOR_PLAN_DECLINED);
    await expect(validateFalkorPayload(rewards, 'rewards', body, {})).resolves.toBeDefined();
  });

  it('lists, not throws on, an e-mail holding a lone surrogate as undocumented', async () => {
    const body = {
      type: 'enrolments',
      data: {
        pathway: { ID: 'p' },
        enrolments: [{ email: '\ud83d', status: { state: 'Complete' } }],
      },
    };
    const payload = await validateFalkorPayload(
      FALKOR_EVENT_CATALOG.enrolments,
      'enrolments',
      body,
    );
    expect(findUndocumentedFalkorValues(payload)).toEqual([
      expect.objectContaining({ property: 'data.enrolments.0.email', value: '\ud83d' }),
    ]);
  });

  it('accepts a booked count written as a string of 309 nines (Infinity as a number)', async () => {
    const event = { ID: 'e', booked: '9'.repeat(309), attendees: [] };
    const body = { type: 'events', data: { pathway: { ID: 'p' }, events: [event] } };
    await expect(
      validateFalkorPayload(FALKOR_EVENT_CATALOG.events, 'events', body),
    ).resolves.toBeDefined();
  });

  it('names a record replaced by an array by its own path', async () => {
    const body = {
      type: 'rewards',
      data: { pathway: { ID: 'p' }, rewards: [{ ID: 'r', vouchers: [] }, []] },
    };
    expect(await failingPaths(() => validateFalkorPayload(rewards, 'rewards', body))).toContain(
      'data.rewards.1',
    );
  });

  it('the plan drops an own "__proto__" key (JSON.parse makes one) as the stock path does', () => {
    const body = JSON.parse(
      '{"type":"rewards","data":{"pathway":{"ID":"p"},"rewards":[]},"__proto__":{"x":1}}',
    ) as JsonObject;
    expectSameTree(tree(planOf(rewards)(body)), tree(plainToInstance(rewards, body)));
  });

  it('the plan keeps an unknown object\'s own "__proto__" key out of its prototype', () => {
    const body = JSON.parse(
      '{"type":"rewards","data":{"pathway":{"ID":"p","x":{"__proto__":{"polluted":1}}},"rewards":[]}}',
    ) as JsonObject;
    const payload = planOf(rewards)(body) as { data: { pathway: { x: JsonObject } } };
    expect(payload.data.pathway.x.polluted).toBeUndefined();
  });
});

function planOf(dto: (typeof FALKOR_EVENT_CATALOG)[string]) {
  return falkorPayloadPlan(dto)!;
}
