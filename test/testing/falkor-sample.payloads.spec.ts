import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import {
  FALKOR_EVENT_CATALOG,
  FALKOR_EVENT_TYPES,
  type FalkorEventType,
  validateFalkorPayload,
} from 'nestjs-falkor-webhook';
import { FALKOR_SAMPLE_PAYLOADS, falkorSamplePayload } from 'nestjs-falkor-webhook/testing';

const key = fc.stringMatching(/^[a-z][a-zA-Z]{0,8}$/);
const scalar = fc.oneof(fc.string(), fc.integer(), fc.boolean(), fc.constant(null));

describe('FALKOR_SAMPLE_PAYLOADS', () => {
  it('has a sample for every catalog event type and no other', () => {
    expect(Object.keys(FALKOR_SAMPLE_PAYLOADS).sort()).toEqual([...FALKOR_EVENT_TYPES].sort());
  });

  it.each(FALKOR_EVENT_TYPES)('has a %s sample that passes its DTO', async (type) => {
    const sample = FALKOR_SAMPLE_PAYLOADS[type];
    expect(sample.event).toBe(type);
    await expect(
      validateFalkorPayload(FALKOR_EVENT_CATALOG[type], type, structuredClone({ ...sample })),
    ).resolves.toBeInstanceOf(FALKOR_EVENT_CATALOG[type]);
  });

  it('is frozen all the way down, so that no test changes another one', () => {
    const sample = FALKOR_SAMPLE_PAYLOADS['enrolment.completed'] as { user: { id: string } };
    expect(Object.isFrozen(FALKOR_SAMPLE_PAYLOADS)).toBe(true);
    expect(() => {
      sample.user.id = 'changed';
    }).toThrow(TypeError);
    expect(FALKOR_SAMPLE_PAYLOADS['reward.unlocked'].user).toEqual(
      expect.objectContaining({ id: 'usr_1207' }),
    );
  });
});

describe('falkorSamplePayload', () => {
  it('returns a mutable copy of the sample', () => {
    const payload = falkorSamplePayload('reward.unlocked');
    expect(payload).toEqual(FALKOR_SAMPLE_PAYLOADS['reward.unlocked']);
    (payload.user as { id: string }).id = 'usr_2';
    expect(FALKOR_SAMPLE_PAYLOADS['reward.unlocked'].user).toEqual(
      expect.objectContaining({ id: 'usr_1207' }),
    );
  });

  it('merges nested objects, replaces scalars and arrays, and removes undefined fields', () => {
    const payload = falkorSamplePayload('enrolment.completed', {
      enrolment: { progress: 40, status: undefined },
      tags: ['a', 'b'],
      pathway: 'pw_1',
    });
    expect(payload.enrolment).toEqual({
      id: 'enr_55',
      progress: 40,
      completedAt: '2026-11-28T10:15:00+00:00',
      url: 'https://learn.example.com/p/8841',
    });
    expect(payload.tags).toEqual(['a', 'b']);
    expect(payload.pathway).toBe('pw_1');
    expect(payload.user).toEqual(FALKOR_SAMPLE_PAYLOADS['enrolment.completed'].user);
  });

  it('starts a type without a sample from { event: type }', () => {
    expect(falkorSamplePayload('course.archived', { course: { id: 'c1' } })).toEqual({
      event: 'course.archived',
      course: { id: 'c1' },
    });
  });

  it('sets every overridden scalar at its path and keeps every other field', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...FALKOR_EVENT_TYPES),
        fc.dictionary(
          key.filter((name) => name !== 'user'),
          scalar,
        ),
        fc.dictionary(key, scalar),
        (type: FalkorEventType, top, nested) => {
          const payload = falkorSamplePayload(type, { ...top, user: nested });
          const sample = FALKOR_SAMPLE_PAYLOADS[type];
          for (const [name, value] of Object.entries(top)) {
            expect(payload[name]).toEqual(value);
          }
          expect(payload.user).toEqual({ ...(sample.user as object), ...nested });
          for (const name of Object.keys(sample)) {
            if (!(name in top) && name !== 'user') {
              expect(payload[name]).toEqual(sample[name]);
            }
          }
        },
      ),
    );
  });
});
