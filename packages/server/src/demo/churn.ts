/**
 * The demo's sample model: a churn classifier for a subscription business, with ten features,
 * a region segment and generated customers. Everything is drawn from a seeded random stream;
 * what changes over time (a price change that resolves, a broken pipeline, an acquisition
 * campaign that is still going) is a function of the time relative to the demo's origin, so a
 * restarted server streams the same story on.
 */
import { createSeededRandom, type RandomStream } from '@vigil/stats';
import type { ModelSchema } from '../domain/index.js';

export const DEMO_MODEL = 'demo-churn';
/** Tag that marks models the demo created: removing the demo removes exactly these. */
export const DEMO_TAG = 'vigil.demo';

const HOUR_MS = 3_600_000;

export const CONTRACTS = ['month-to-month', 'one-year', 'two-year'] as const;
export const PAYMENT_METHODS = ['electronic-check', 'mailed-check', 'bank-transfer', 'credit-card'] as const;
export const INTERNET_SERVICES = ['fiber', 'dsl', 'none'] as const;
export const REGIONS = ['north', 'south', 'east', 'west'] as const;

export const DEMO_SCHEMA: ModelSchema = {
  features: [
    { name: 'tenure_months', type: 'numeric', description: 'Months since the customer signed up.' },
    { name: 'monthly_charges', type: 'numeric', description: 'Current monthly bill (EUR).' },
    { name: 'total_charges', type: 'numeric', description: 'Billed since sign-up (EUR).' },
    { name: 'contract', type: 'categorical', categories: [...CONTRACTS] },
    { name: 'payment_method', type: 'categorical', categories: [...PAYMENT_METHODS] },
    { name: 'internet_service', type: 'categorical', categories: [...INTERNET_SERVICES] },
    { name: 'support_tickets_90d', type: 'numeric', description: 'Support tickets in the last 90 days.' },
    { name: 'products', type: 'numeric', description: 'Products subscribed to.' },
    { name: 'age', type: 'numeric' },
    { name: 'paperless_billing', type: 'boolean' },
  ],
  segments: ['region'],
  sensitive_attributes: [],
  prediction_field: 'prediction',
  score_field: 'score',
  label_field: 'label',
  id_field: 'id',
  timestamp_field: 'timestamp',
  classes: ['stay', 'churn'],
} as ModelSchema;

/** What is going on at a moment of the demo's story, in hours relative to its origin. */
export interface Conditions {
  /** A price change: charges up, more customers paying by electronic check. */
  priceChange: boolean;
  /** An upstream job fails: total_charges mostly missing. */
  brokenPipeline: boolean;
  /** An acquisition campaign: newer customers on monthly contracts, who churn more than the model expects. */
  campaign: boolean;
  version: '1' | '2';
}

/** The story, relative to the origin (when the demo started): hours −40 to −32, −20 to −18, and from −5 on. */
export function conditionsAt(hoursFromOrigin: number): Conditions {
  return {
    priceChange: hoursFromOrigin >= -40 && hoursFromOrigin < -32,
    brokenPipeline: hoursFromOrigin >= -20 && hoursFromOrigin < -18,
    campaign: hoursFromOrigin >= -5,
    version: hoursFromOrigin < -24 ? '1' : '2',
  };
}

/** Predictions per hour at a time of day: busier in the afternoon, quiet at night. */
export function hourlyRate(ratePerHour: number, timestampMs: number): number {
  const hour = new Date(timestampMs).getUTCHours();
  return ratePerHour * (1 + 0.4 * Math.sin(((hour - 9) / 24) * 2 * Math.PI));
}

export interface Customer {
  features: Record<string, number | string | boolean | null>;
  region: string;
  /** The model's churn probability and decision. */
  score: number;
  prediction: 'stay' | 'churn';
  /** Whether the customer actually churned (known later). */
  label: 'stay' | 'churn';
}

const sigmoid = (z: number) => 1 / (1 + Math.exp(-z));

function pick<T>(random: RandomStream, values: readonly T[], weights: number[]): T {
  const total = weights.reduce((a, b) => a + b, 0);
  let u = random.uniform() * total;
  for (let i = 0; i < values.length; i++) {
    u -= weights[i]!;
    if (u < 0) return values[i]!;
  }
  return values[values.length - 1]!;
}

const round = (x: number, digits = 2) => Math.round(x * 10 ** digits) / 10 ** digits;

export function drawCustomer(random: RandomStream, c: Conditions | null): Customer {
  const campaign = c?.campaign ?? false;
  const priceChange = c?.priceChange ?? false;
  const contract = pick(random, CONTRACTS, campaign ? [0.8, 0.14, 0.06] : [0.5, 0.28, 0.22]);
  const tenureScale = contract === 'two-year' ? 40 : contract === 'one-year' ? 25 : 14;
  const tenure = Math.max(
    1,
    Math.min(72, Math.round(-Math.log(1 - random.uniform()) * tenureScale * (campaign ? 0.35 : 1))),
  );
  const internet = pick(random, INTERNET_SERVICES, [0.45, 0.35, 0.2]);
  const base = internet === 'fiber' ? 80 : internet === 'dsl' ? 55 : 25;
  const monthly = Math.max(18, base + random.normal() * 12 + (priceChange ? 18 : 0));
  const payment = pick(
    random,
    PAYMENT_METHODS,
    priceChange ? [0.6, 0.1, 0.15, 0.15] : [0.33, 0.2, 0.23, 0.24],
  );
  const tickets = Math.min(
    12,
    Math.floor(-Math.log(1 - random.uniform()) * (internet === 'fiber' ? 1.4 : 0.8)),
  );
  const products = 1 + Math.min(4, Math.floor(-Math.log(1 - random.uniform()) * 0.9));
  const age = Math.round(Math.max(18, Math.min(90, 44 + random.normal() * 14)));
  const paperless = random.uniform() < 0.6;
  const region = pick(random, REGIONS, [0.3, 0.25, 0.25, 0.2]);

  const z =
    -1.1 -
    0.045 * (tenure - 24) +
    0.02 * (monthly - 65) +
    (contract === 'month-to-month' ? 0.9 : contract === 'one-year' ? -0.4 : -1.3) +
    (payment === 'electronic-check' ? 0.45 : 0) +
    0.25 * tickets -
    0.2 * (products - 1) -
    0.01 * (age - 45) +
    (paperless ? 0.15 : 0) +
    (internet === 'fiber' ? 0.3 : 0);
  const score = sigmoid(z + random.normal() * 0.15);
  // The campaign's customers churn more than anything the model learnt would suggest.
  const churned = random.uniform() < sigmoid(z + (campaign ? 1.1 : 0));

  const missingTotal = (c?.brokenPipeline ?? false) ? random.uniform() < 0.45 : random.uniform() < 0.001;
  const features: Customer['features'] = {
    tenure_months: tenure,
    monthly_charges: round(monthly),
    total_charges: missingTotal ? null : round(tenure * monthly * (0.95 + 0.1 * random.uniform())),
    contract,
    payment_method: random.uniform() < 0.0005 ? 'crypto' : payment,
    internet_service: internet,
    support_tickets_90d: tickets,
    products,
    age: random.uniform() < 0.002 ? null : age,
    paperless_billing: paperless,
  };
  return {
    features,
    region,
    score: round(score, 4),
    prediction: score >= 0.5 ? 'churn' : 'stay',
    label: churned ? 'churn' : 'stay',
  };
}

/** The training set: customers before any of the story's events, as flat rows. */
export function referenceRows(count: number, seed: number): Record<string, unknown>[] {
  const random = createSeededRandom(seed);
  return Array.from({ length: count }, () => {
    const customer = drawCustomer(random, null);
    return {
      ...customer.features,
      region: customer.region,
      score: customer.score,
      prediction: customer.prediction,
      label: customer.label,
    };
  });
}

export interface DemoPrediction {
  record: {
    id: string;
    timestamp: string;
    version: string;
    features: Customer['features'];
    segments: { region: string };
    prediction: string;
    score: number;
  };
  /** When the outcome becomes known (epoch ms), or null when it never does. */
  labelAtMs: number | null;
  label: string;
}

/**
 * Predictions made in [fromMs, toMs): about `ratePerHour` per hour with the daily rhythm, ids
 * unique per time. 85% of outcomes become known one to three hours later.
 */
export function trafficBetween(
  random: RandomStream,
  fromMs: number,
  toMs: number,
  originMs: number,
  ratePerHour: number,
): DemoPrediction[] {
  const out: DemoPrediction[] = [];
  // Poisson arrivals: exponential gaps at the rate of the moment.
  let t = fromMs;
  for (;;) {
    const rate = hourlyRate(ratePerHour, t) / HOUR_MS;
    t += -Math.log(1 - random.uniform()) / rate;
    if (t >= toMs) break;
    const ts = Math.floor(t);
    const conditions = conditionsAt((ts - originMs) / HOUR_MS);
    const customer = drawCustomer(random, conditions);
    out.push({
      record: {
        id: `demo-${ts.toString(36)}-${Math.floor(random.uniform() * 36 ** 4).toString(36)}`,
        timestamp: new Date(ts).toISOString(),
        version: conditions.version,
        features: customer.features,
        segments: { region: customer.region },
        prediction: customer.prediction,
        score: customer.score,
      },
      labelAtMs: random.uniform() < 0.85 ? ts + HOUR_MS * (1 + 2 * random.uniform()) : null,
      label: customer.label,
    });
  }
  return out;
}
