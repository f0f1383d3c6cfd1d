import type { Schedule } from '@upstash/qstash';
import { describe, expectTypeOf, it } from 'vitest';
import type { DlqMessage } from './qstash-plan.js';
import type { QStashSchedule, QStashServer } from './qstash-server.js';

describe('QStash stand-in: the authority', () => {
  // @upstash/qstash ships no OpenAPI description (only its bundles and .d.ts files), so the typed
  // client is the authority: what the stand-in stores and answers must fit the client's own types.
  it('keeps schedules and DLQ messages in the shapes the pinned client types them', () => {
    expectTypeOf<QStashSchedule>().toExtend<Schedule>();
    expectTypeOf<QStashServer['dlq'][number]>().toEqualTypeOf<DlqMessage>();
    expectTypeOf<DlqMessage>().toHaveProperty('responseStatus');
  });
});
