import { describe, expect, it } from '@jest/globals';
import { FalkorValidationError, validateFalkorPayload } from '../../src/index.js';
import { FalkorValueDrift } from '../../src/events/drift.reporter.js';
import { falkorCount } from '../../src/events/documented.values.js';
import { FALKOR_EVENT_CATALOG } from '../../src/events/event-catalog.js';
import { findUndocumentedFalkorValues } from '../../src/events/value.drift.js';
import {
  falkorSampleEnrolment,
  falkorSampleEvent,
  falkorSamplePayload,
} from '../../src/testing/index.js';

async function validated(type: string, body: Record<string, unknown>): Promise<object> {
  return validateFalkorPayload(FALKOR_EVENT_CATALOG[type], type, body);
}

const enrolments = (...records: Record<string, unknown>[]) =>
  validated('enrolments', falkorSamplePayload('enrolments', { data: { enrolments: records } }));

describe('findUndocumentedFalkorValues', () => {
  it("finds nothing in the docs' examples", async () => {
    for (const type of ['enrolments', 'events', 'rewards']) {
      expect(
        findUndocumentedFalkorValues(await validated(type, falkorSamplePayload(type))),
      ).toEqual([]);
    }
  });

  it('names each undocumented value by its full path and its field', async () => {
    const payload = await enrolments(
      falkorSampleEnrolment(),
      falkorSampleEnrolment({ status: { state: 'Paused', progress: -1, timestamp: '2020-13-01' } }),
    );
    expect(findUndocumentedFalkorValues(payload)).toEqual([
      {
        property: 'data.enrolments.1.status.state',
        field: 'data.enrolments.*.status.state',
        value: 'Paused',
        documented: '"In Progress", "Complete"',
      },
      expect.objectContaining({ property: 'data.enrolments.1.status.progress', value: -1 }),
      expect.objectContaining({
        property: 'data.enrolments.1.status.timestamp',
        value: '2020-13-01',
      }),
    ]);
  });

  it('leaves absent, null and "" optional values alone', async () => {
    const payload = await enrolments(
      falkorSampleEnrolment({ status: { progress: null, timestamp: '', joined: undefined } }),
    );
    expect(findUndocumentedFalkorValues(payload)).toEqual([]);
  });

  it('accepts booked and available as the docs write them, after coercion', async () => {
    const payload = (booked: unknown, available: unknown) =>
      validated(
        'events',
        falkorSamplePayload('events', {
          data: { events: [falkorSampleEvent({ booked, available })] },
        }),
      );
    expect(findUndocumentedFalkorValues(await payload('3', 'Unlimited'))).toEqual([]);
    expect(
      findUndocumentedFalkorValues(await payload('three', 'lots')).map((found) => found.property),
    ).toEqual(['data.events.0.booked', 'data.events.0.available']);
  });
});

describe('falkorCount', () => {
  it.each([
    ['3', 3],
    ['12', 12],
    ['-1', -1],
    ['2.5', 2.5],
    [4, 4],
    ['Unlimited', 'Unlimited'],
    [' 3', ' 3'],
    ['3e2', '3e2'],
    ['', ''],
    [null, null],
  ])('makes %j %j', (value, expected) => {
    expect(falkorCount(value)).toBe(expected);
  });
});

describe('FalkorValueDrift', () => {
  const paused = () => enrolments(falkorSampleEnrolment({ status: { state: 'Paused' } }));

  it('warns once per type, field and value', async () => {
    const warnings: string[] = [];
    const drift = new FalkorValueDrift(false, (message) => warnings.push(message));
    drift.check('enrolments', await paused());
    drift.check('enrolments', await paused());
    drift.check(
      'enrolments',
      await enrolments(
        falkorSampleEnrolment(),
        falkorSampleEnrolment({ status: { state: 'Paused' } }),
      ),
    );
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain('data.enrolments.0.status.state');
    expect(warnings[0]).toContain('"Paused"');
    drift.check('other', await paused());
    expect(warnings).toHaveLength(2);
  });

  it('keeps a bounded memory and says once that it stopped logging', async () => {
    const warnings: string[] = [];
    const drift = new FalkorValueDrift(false, (message) => warnings.push(message), 3);
    for (let state = 0; state < 10; state++) {
      drift.check(
        'enrolments',
        await enrolments(falkorSampleEnrolment({ status: { state: `S${state}` } })),
      );
    }
    expect(warnings).toHaveLength(4);
    expect(warnings[3]).toContain('further ones are accepted without a log line');
  });

  it('refuses with every undocumented path when strict', async () => {
    const drift = new FalkorValueDrift(true, () => {
      throw new Error('a strict check logs nothing');
    });
    drift.check('enrolments', await enrolments(falkorSampleEnrolment()));
    const payload = await enrolments(
      falkorSampleEnrolment({ email: 'nobody', status: { progress: 101 } }),
    );
    const error = (() => {
      try {
        drift.check('enrolments', payload);
      } catch (caught) {
        return caught as FalkorValidationError;
      }
    })();
    expect(error).toBeInstanceOf(FalkorValidationError);
    expect(error!.issues.map((issue) => issue.property)).toEqual([
      'data.enrolments.0.email',
      'data.enrolments.0.status.progress',
    ]);
    expect(error!.issues[0].constraints.isDocumentedValue).toContain('"nobody"');
  });
});
