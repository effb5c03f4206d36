/**
 * Sending what a driver rendered: HTTP POSTs with fetch, e-mail with nodemailer. Every
 * failure says whether a retry may help (network errors, timeouts, 408, 429, 5xx, SMTP 4xx)
 * or not (other 4xx, SMTP 5xx).
 */
import nodemailer from 'nodemailer';
import type { EmailChannelConfig } from '../domain/index.js';
import type { Outgoing } from './channels/index.js';

export class DeliveryFailure extends Error {
  constructor(
    message: string,
    readonly retryable: boolean,
    /** A wait the receiver asked for (`Retry-After`). */
    readonly retryAfterMs?: number,
  ) {
    super(message);
  }
}

export interface SendOptions {
  timeoutMs: number;
  /** Aborts the attempt (the server is stopping). */
  signal?: AbortSignal;
  /** The channel's configuration (SMTP settings for e-mail). */
  config: Record<string, unknown>;
}

/** Receivers' answers are kept in `last_error` up to this length. */
const ERROR_TEXT_LIMIT = 300;

function retryAfter(header: string | null): number | undefined {
  if (!header) return undefined;
  const seconds = Number(header);
  if (Number.isFinite(seconds) && seconds >= 0) return seconds * 1000;
  const date = Date.parse(header);
  return Number.isNaN(date) ? undefined : Math.max(0, date - Date.now());
}

function describe(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause = error.cause instanceof Error ? `: ${error.cause.message}` : '';
  return `${error.message}${cause}`;
}

async function sendHttp(outgoing: Extract<Outgoing, { kind: 'http' }>, options: SendOptions): Promise<void> {
  const signals = [AbortSignal.timeout(options.timeoutMs)];
  if (options.signal) signals.push(options.signal);
  const signal = AbortSignal.any(signals);
  let response: Response;
  try {
    response = await fetch(outgoing.url, {
      method: 'POST',
      headers: outgoing.headers,
      body: outgoing.body,
      signal,
      redirect: 'manual',
    });
  } catch (error) {
    if (options.signal?.aborted) throw new DeliveryFailure('interrupted: the server stopped', true);
    if (signal.aborted) throw new DeliveryFailure(`no answer within ${options.timeoutMs} ms`, true);
    throw new DeliveryFailure(`cannot reach ${new URL(outgoing.url).host}: ${describe(error)}`, true);
  }
  let text = '';
  try {
    text = (await response.text()).slice(0, ERROR_TEXT_LIMIT).trim();
  } catch {
    // The answer's status is what counts; a body cut short changes nothing.
  }
  if (response.status >= 200 && response.status < 300) return;
  const status = response.status;
  const retryable = status === 408 || status === 429 || status >= 500;
  throw new DeliveryFailure(
    `HTTP ${status}${text ? `: ${text}` : ''}`,
    retryable,
    retryable ? retryAfter(response.headers.get('retry-after')) : undefined,
  );
}

async function sendEmail(
  outgoing: Extract<Outgoing, { kind: 'email' }>,
  options: SendOptions,
): Promise<void> {
  const config = options.config as unknown as EmailChannelConfig;
  const transport = nodemailer.createTransport({
    host: config.host,
    port: config.port,
    secure: config.secure,
    requireTLS: config.starttls === 'required',
    ignoreTLS: config.starttls === 'disabled',
    ...(config.username ? { auth: { user: config.username, pass: config.password ?? '' } } : {}),
    connectionTimeout: options.timeoutMs,
    greetingTimeout: options.timeoutMs,
    socketTimeout: options.timeoutMs,
  });
  let timer: NodeJS.Timeout | undefined;
  const stop = new Promise<never>((_, reject) => {
    const fail = (message: string) => {
      transport.close();
      reject(new DeliveryFailure(message, true));
    };
    timer = setTimeout(() => fail(`no answer within ${options.timeoutMs} ms`), options.timeoutMs);
    options.signal?.addEventListener('abort', () => fail('interrupted: the server stopped'), { once: true });
  });
  stop.catch(() => undefined); // settled by the race below, or after it is decided
  try {
    await Promise.race([
      transport.sendMail({
        from: config.from,
        to: config.to,
        subject: outgoing.subject,
        text: outgoing.text,
        html: outgoing.html,
      }),
      stop,
    ]);
  } catch (error) {
    if (error instanceof DeliveryFailure) throw error;
    const code = (error as { responseCode?: number }).responseCode;
    // SMTP 5xx replies are permanent (unknown mailbox, refused login); 4xx and lost connections are not.
    throw new DeliveryFailure(`SMTP: ${describe(error)}`.slice(0, ERROR_TEXT_LIMIT), !(code && code >= 500));
  } finally {
    clearTimeout(timer);
    transport.close();
  }
}

/** Sends `outgoing`; throws `DeliveryFailure` unless the receiver accepted it. */
export function send(outgoing: Outgoing, options: SendOptions): Promise<void> {
  return outgoing.kind === 'http' ? sendHttp(outgoing, options) : sendEmail(outgoing, options);
}
