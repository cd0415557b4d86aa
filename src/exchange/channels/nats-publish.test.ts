import { randomUUID } from 'node:crypto';
import { connect, ErrorCode, headers, type JetStreamManager, type NatsConnection, NatsError } from 'nats';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SERVICES, serviceAvailable } from '../../../test/support/services.js';
import { type BatchPublisher, batchPublisher } from './nats-publish.js';

const natsUp = await serviceAvailable('nats');

// The acks of a batch, on the real server: in order, or the failure JetStream answered.
describe.skipIf(!natsUp)('batch publisher', () => {
  let nc: NatsConnection;
  let jsm: JetStreamManager;
  let publisher: BatchPublisher;
  const name = `TEST_BATCH_${randomUUID().slice(0, 8)}`;
  const subject = `test.${name}`;
  const message = (id: string, extra: Record<string, string> = {}) => {
    const h = headers();
    h.set('Nats-Msg-Id', id);
    for (const [k, v] of Object.entries(extra)) h.set(k, v);
    return { subject: `${subject}.a`, data: new TextEncoder().encode(id), headers: h };
  };

  beforeAll(async () => {
    nc = await connect({ servers: SERVICES.nats.url });
    jsm = await nc.jetstreamManager();
    await jsm.streams.add({ name, subjects: [`${subject}.>`] });
    publisher = batchPublisher(nc);
  });
  afterAll(async () => {
    publisher?.close();
    await jsm?.streams.delete(name).catch(() => undefined);
    await nc?.drain();
  });

  it('answers each message’s ack in order, duplicates marked', async () => {
    const acks = await publisher.publishAll(
      ['a', 'b', 'c', 'a'].map((id) => message(id)),
      2_000,
    );
    expect(acks.map((a) => [a.stream, a.seq, a.duplicate])).toEqual([
      [name, 1, false],
      [name, 2, false],
      [name, 3, false],
      [name, 1, true],
    ]);
    expect(await publisher.publishAll([], 2_000)).toEqual([]);
  });

  it('rejects with JetStream’s error (its api_error) when the stream refuses a message', async () => {
    const refused = message('d', { 'Nats-Expected-Stream': 'SOME_OTHER' });
    const error = await publisher.publishAll([message('e'), refused], 2_000).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NatsError);
    expect((error as NatsError).api_error?.err_code).toBe(10060);
  });

  it('rejects with no responders when no stream holds the subject', async () => {
    const error = await publisher
      .publishAll([{ ...message('f'), subject: `nobody.${randomUUID()}` }], 2_000)
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ code: ErrorCode.NoResponders });
  });

  it('times out when an ack does not come', async () => {
    // A plain subscriber that never answers: the server sees a responder, none replies.
    const silent = `silent.${randomUUID()}`;
    const sub = nc.subscribe(silent);
    await nc.flush();
    const started = Date.now();
    const error = await publisher
      .publishAll([message('g'), { ...message('h'), subject: silent }], 300)
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ code: ErrorCode.Timeout, message: '1 of 2 acks not received' });
    expect(Date.now() - started).toBeLessThan(1_000);
    sub.unsubscribe();
  });
});
