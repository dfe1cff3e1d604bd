import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import {
  FALKOR_EVENT_CATALOG,
  FALKOR_EVENT_TYPES,
  type FalkorDeliveryType,
  validateFalkorPayload,
} from 'nestjs-falkor-webhook';
import {
  FALKOR_SAMPLE_PAYLOADS,
  falkorSampleAttendee,
  falkorSampleEnrolment,
  falkorSampleEvent,
  falkorSamplePayload,
  falkorSampleReward,
  falkorSampleVoucher,
} from 'nestjs-falkor-webhook/testing';
import { docsDeliveryVectors } from '../support/vectors.js';

const key = fc.stringMatching(/^[a-z][a-zA-Z]{0,8}$/);
const scalar = fc.oneof(fc.string(), fc.integer(), fc.boolean(), fc.constant(null));

interface Sample {
  type: string;
  data: { pathway: { name: string; ID: string } } & Record<string, unknown[]>;
}

const sampleOf = (type: FalkorDeliveryType) => FALKOR_SAMPLE_PAYLOADS[type] as unknown as Sample;

describe('FALKOR_SAMPLE_PAYLOADS', () => {
  it('has a sample for every catalog event type and no other', () => {
    expect(Object.keys(FALKOR_SAMPLE_PAYLOADS).sort()).toEqual([...FALKOR_EVENT_TYPES].sort());
  });

  it.each(FALKOR_EVENT_TYPES)('has a %s sample that passes its DTO', async (type) => {
    const sample = FALKOR_SAMPLE_PAYLOADS[type];
    expect(sample.type).toBe(type);
    await expect(
      validateFalkorPayload(FALKOR_EVENT_CATALOG[type], type, structuredClone({ ...sample })),
    ).resolves.toBeInstanceOf(FALKOR_EVENT_CATALOG[type]);
  });

  it.each(docsDeliveryVectors.map((v) => [v.name, v] as const))(
    'is the docs delivery of %s',
    (_, vector) => {
      expect(FALKOR_SAMPLE_PAYLOADS[vector.type]).toEqual(JSON.parse(vector.body.toString('utf8')));
    },
  );

  it('holds the documented values of each example', () => {
    const enrolments = sampleOf('enrolments').data.enrolments as { email: string }[];
    expect(sampleOf('enrolments').data.pathway.ID).toBe('FA-HCPG-06RF');
    expect(enrolments.map((enrolment) => enrolment.email)).toEqual([
      'test@example.com',
      'test2@example',
    ]);
    expect(sampleOf('events').data.events).toEqual([
      expect.objectContaining({
        ID: 'FABK-YVUU-89RU',
        booked: 2,
        available: 4,
        attendees: [
          expect.objectContaining({
            guid: '8bd0705f-c640-4191-9a1c-1a8cc73ad949',
            state: 'booked',
          }),
        ],
      }),
    ]);
    expect(sampleOf('rewards').data.rewards).toEqual([
      expect.objectContaining({
        ID: 'FARE-STZH-05MD',
        vouchers: [
          expect.objectContaining({
            guid: '6c720133-3916-4172-94c9-62d1394fc72b',
            state: 'notified',
            expires: 'never',
          }),
        ],
      }),
    ]);
  });

  it('is frozen all the way down, so that no test changes another one', () => {
    const sample = sampleOf('rewards');
    expect(Object.isFrozen(FALKOR_SAMPLE_PAYLOADS)).toBe(true);
    expect(() => {
      sample.data.pathway.ID = 'changed';
    }).toThrow(TypeError);
    // The arrays come from structuredClone, of Node's realm: match the message, not the class.
    expect(() => {
      sample.data.rewards.push({});
    }).toThrow('not extensible');
    expect(sampleOf('rewards').data.pathway.ID).toBe('FA-HCPG-06RF');
    expect(sampleOf('rewards').data.rewards).toHaveLength(1);
  });
});

describe('falkorSamplePayload', () => {
  it('returns a mutable copy of the sample', () => {
    const payload = falkorSamplePayload('rewards') as unknown as Sample;
    expect(payload).toEqual(FALKOR_SAMPLE_PAYLOADS.rewards);
    payload.data.pathway.ID = 'FA-OTHER-0001';
    payload.data.rewards.length = 0;
    expect(sampleOf('rewards').data.pathway.ID).toBe('FA-HCPG-06RF');
    expect(sampleOf('rewards').data.rewards).toHaveLength(1);
  });

  it('merges nested objects, replaces scalars and arrays, and removes undefined fields', () => {
    const payload = falkorSamplePayload('enrolments', {
      data: {
        pathway: { ID: 'FA-TEST-0001', name: undefined },
        enrolments: [falkorSampleEnrolment({ status: { state: 'Complete', progress: 100 } })],
      },
      tags: ['a', 'b'],
    }) as unknown as Sample & { tags: string[] };
    expect(payload.data.pathway).toEqual({ ID: 'FA-TEST-0001' });
    expect(payload.data.enrolments).toHaveLength(1);
    expect(payload.data.enrolments[0]).toMatchObject({
      email: 'test@example.com',
      status: { state: 'Complete', progress: 100, level: 2, version: '1.2.3' },
    });
    expect(payload.tags).toEqual(['a', 'b']);
    expect(payload.type).toBe('enrolments');
  });

  it('starts a type without a sample from { type }', () => {
    expect(falkorSamplePayload('certificates', { data: { certificate: 'c1' } })).toEqual({
      type: 'certificates',
      data: { certificate: 'c1' },
    });
  });

  it('sets every overridden scalar at its path and keeps every other field', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...FALKOR_EVENT_TYPES),
        fc.dictionary(
          key.filter((name) => name !== 'data'),
          scalar,
        ),
        fc.dictionary(key, scalar),
        (type: FalkorDeliveryType, top, pathway) => {
          const payload = falkorSamplePayload(type, { ...top, data: { pathway } });
          const sample = FALKOR_SAMPLE_PAYLOADS[type] as Record<string, unknown> & Sample;
          for (const [name, value] of Object.entries(top)) {
            expect(payload[name]).toEqual(value);
          }
          const data = payload.data as Sample['data'];
          expect(data.pathway).toEqual({ ...sample.data.pathway, ...pathway });
          for (const name of Object.keys(sample.data)) {
            if (name !== 'pathway') {
              expect(data[name]).toEqual(sample.data[name]);
            }
          }
          for (const name of Object.keys(sample)) {
            if (!(name in top) && name !== 'data') {
              expect(payload[name]).toEqual(sample[name]);
            }
          }
        },
      ),
    );
  });
});

describe('the record builders', () => {
  it.each([
    ['falkorSampleEnrolment', falkorSampleEnrolment, sampleOf('enrolments').data.enrolments[0]],
    ['falkorSampleEvent', falkorSampleEvent, sampleOf('events').data.events[0]],
    [
      'falkorSampleAttendee',
      falkorSampleAttendee,
      (sampleOf('events').data.events[0] as { attendees: unknown[] }).attendees[0],
    ],
    ['falkorSampleReward', falkorSampleReward, sampleOf('rewards').data.rewards[0]],
    [
      'falkorSampleVoucher',
      falkorSampleVoucher,
      (sampleOf('rewards').data.rewards[0] as { vouchers: unknown[] }).vouchers[0],
    ],
  ])('%s gives a fresh copy of the docs record', (_, build, record) => {
    const first = build();
    expect(first).toEqual(record);
    first.changed = true;
    expect(build()).toEqual(record);
    expect(Object.isFrozen(first)).toBe(false);
  });

  it('merge their overrides as falkorSamplePayload does', () => {
    expect(falkorSampleAttendee({ guid: 'g-2', state: 'attended', city: undefined })).toEqual({
      guid: 'g-2',
      state: 'attended',
      firstname: 'Test',
      lastname: 'User',
      email: 'test@example.com',
      country: 'South Africa',
    });
    const event = falkorSampleEvent({
      venue: { place: 'Hall B' },
      attendees: [falkorSampleAttendee({ guid: 'g-3' })],
    });
    expect(event.venue).toEqual({ place: 'Hall B', location: 'Cape Town ZA' });
    expect(event.attendees).toEqual([expect.objectContaining({ guid: 'g-3', state: 'booked' })]);
    expect(
      falkorSampleReward({ vouchers: [falkorSampleVoucher({ state: 'pending' })] }).vouchers,
    ).toEqual([expect.objectContaining({ state: 'pending', expires: 'never' })]);
  });
});
