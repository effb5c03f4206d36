/**
 * Generated from the server's OpenAPI document by scripts/api-types.ts
 * (`npm run generate:api-types`); do not edit. `XInput` is what a request may send (defaults
 * not yet applied), `X` what the server answers.
 */
export interface paths {
    "/api/v1/models/{model}/reference/{dataset}/rows": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get: {
            parameters: {
                query?: {
                    limit?: number;
                    cursor?: string;
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: never;
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/models/{model}/predictions": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get: {
            parameters: {
                query?: {
                    /** @description Inclusive lower bound on timestamp: an RFC 3339 date-time such as `2026-01-05T10:00:00Z` (ISO-8601 without a zone means UTC; years 0001 to 9999), or an epoch number in seconds (1e8 to 1e10), milliseconds (1e11 to 1e13) or microseconds (1e14 to 1e16); empty means no bound. */
                    from?: string | unknown | unknown | unknown | unknown;
                    /** @description Exclusive upper bound on timestamp: an RFC 3339 date-time such as `2026-01-05T10:00:00Z` (ISO-8601 without a zone means UTC; years 0001 to 9999), or an epoch number in seconds (1e8 to 1e10), milliseconds (1e11 to 1e13) or microseconds (1e14 to 1e16); empty means no bound. */
                    to?: string | unknown | unknown | unknown | unknown;
                    version?: string;
                    limit?: number;
                    /** @description Opaque: the `next_cursor` of the previous page, passed back unchanged. */
                    cursor?: string;
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: never;
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/models/{model}/traffic": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get: {
            parameters: {
                query?: {
                    /** @description Inclusive lower bound on timestamp: an RFC 3339 date-time such as `2026-01-05T10:00:00Z` (ISO-8601 without a zone means UTC; years 0001 to 9999), or an epoch number in seconds (1e8 to 1e10), milliseconds (1e11 to 1e13) or microseconds (1e14 to 1e16); empty means no bound. */
                    from?: string | unknown | unknown | unknown | unknown;
                    /** @description Exclusive upper bound on timestamp: an RFC 3339 date-time such as `2026-01-05T10:00:00Z` (ISO-8601 without a zone means UTC; years 0001 to 9999), or an epoch number in seconds (1e8 to 1e10), milliseconds (1e11 to 1e13) or microseconds (1e14 to 1e16); empty means no bound. */
                    to?: string | unknown | unknown | unknown | unknown;
                    version?: string;
                    bucket?: "minute" | "hour" | "day" | "week";
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: never;
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/alerts": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get: {
            parameters: {
                query?: {
                    model?: string;
                    state?: "pending" | "firing" | "resolved";
                    severity?: "info" | "warning" | "critical";
                    limit?: number;
                    cursor?: string;
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: never;
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/silences": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get: {
            parameters: {
                query?: {
                    state?: "active" | "pending" | "expired" | "all";
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: never;
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/deliveries": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get: {
            parameters: {
                query?: {
                    /** @description Channel name or numeric id. */
                    channel?: string;
                    status?: "pending" | "sending" | "delivered" | "dead";
                    limit?: number;
                    cursor?: string;
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: never;
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/models/{model}/results": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get: {
            parameters: {
                query?: {
                    monitor?: string;
                    feature?: string;
                    metric?: string;
                    status?: "ok" | "warning" | "alert" | "insufficient_data" | "error";
                    version?: string;
                    /** @description `name=value` */
                    segment?: string;
                    /** @description Window start at or after (ISO-8601 or epoch milliseconds). */
                    from?: string;
                    /** @description Window start before (ISO-8601 or epoch milliseconds). */
                    to?: string;
                    limit?: number;
                    cursor?: string;
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: never;
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/models/{model}/series": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get: {
            parameters: {
                query?: {
                    /** @description Start of the range (default: a week before `to`): an RFC 3339 date-time such as `2026-01-05T10:00:00Z` (ISO-8601 without a zone means UTC; years 0001 to 9999), or an epoch number in seconds (1e8 to 1e10), milliseconds (1e11 to 1e13) or microseconds (1e14 to 1e16); empty means no bound. */
                    from?: string | unknown | unknown | unknown | unknown;
                    /** @description End of the range, exclusive (default: now): an RFC 3339 date-time such as `2026-01-05T10:00:00Z` (ISO-8601 without a zone means UTC; years 0001 to 9999), or an epoch number in seconds (1e8 to 1e10), milliseconds (1e11 to 1e13) or microseconds (1e14 to 1e16); empty means no bound. */
                    to?: string | unknown | unknown | unknown | unknown;
                    /** @description Most buckets to return: the server picks the smallest round step (1 s … 1 week) that fits the range into this many, so the answer stays small whatever the range. */
                    points?: number;
                    /** @description Only this model version. */
                    version?: string;
                    /** @description Only this segment, as `name=value`. */
                    segment?: string;
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: never;
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/models/{model}/drift-map": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get: {
            parameters: {
                query?: {
                    /** @description Start of the range (default: a week before `to`): an RFC 3339 date-time such as `2026-01-05T10:00:00Z` (ISO-8601 without a zone means UTC; years 0001 to 9999), or an epoch number in seconds (1e8 to 1e10), milliseconds (1e11 to 1e13) or microseconds (1e14 to 1e16); empty means no bound. */
                    from?: string | unknown | unknown | unknown | unknown;
                    /** @description End of the range, exclusive (default: now): an RFC 3339 date-time such as `2026-01-05T10:00:00Z` (ISO-8601 without a zone means UTC; years 0001 to 9999), or an epoch number in seconds (1e8 to 1e10), milliseconds (1e11 to 1e13) or microseconds (1e14 to 1e16); empty means no bound. */
                    to?: string | unknown | unknown | unknown | unknown;
                    /** @description Most buckets to return: the server picks the smallest round step (1 s … 1 week) that fits the range into this many, so the answer stays small whatever the range. */
                    points?: number;
                    /** @description Only this model version. */
                    version?: string;
                    /** @description Only this segment, as `name=value`. */
                    segment?: string;
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: never;
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/models/{model}/features/{feature}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get: {
            parameters: {
                query?: {
                    /** @description Start of the range (default: a week before `to`): an RFC 3339 date-time such as `2026-01-05T10:00:00Z` (ISO-8601 without a zone means UTC; years 0001 to 9999), or an epoch number in seconds (1e8 to 1e10), milliseconds (1e11 to 1e13) or microseconds (1e14 to 1e16); empty means no bound. */
                    from?: string | unknown | unknown | unknown | unknown;
                    /** @description End of the range, exclusive (default: now): an RFC 3339 date-time such as `2026-01-05T10:00:00Z` (ISO-8601 without a zone means UTC; years 0001 to 9999), or an epoch number in seconds (1e8 to 1e10), milliseconds (1e11 to 1e13) or microseconds (1e14 to 1e16); empty means no bound. */
                    to?: string | unknown | unknown | unknown | unknown;
                    /** @description Most buckets to return: the server picks the smallest round step (1 s … 1 week) that fits the range into this many, so the answer stays small whatever the range. */
                    points?: number;
                    /** @description Only this model version. */
                    version?: string;
                    /** @description Only this segment, as `name=value`. */
                    segment?: string;
                    /** @description Reference dataset to compare with (the newest by default). */
                    dataset?: string;
                    /** @description Start of the data drawn as the current distribution, e.g. one window (default: the start of the range): an RFC 3339 date-time such as `2026-01-05T10:00:00Z` (ISO-8601 without a zone means UTC; years 0001 to 9999), or an epoch number in seconds (1e8 to 1e10), milliseconds (1e11 to 1e13) or microseconds (1e14 to 1e16); empty means no bound. */
                    current_from?: string | unknown | unknown | unknown | unknown;
                    /** @description End of the data drawn as the current distribution, exclusive (default: the end of the range): an RFC 3339 date-time such as `2026-01-05T10:00:00Z` (ISO-8601 without a zone means UTC; years 0001 to 9999), or an epoch number in seconds (1e8 to 1e10), milliseconds (1e11 to 1e13) or microseconds (1e14 to 1e16); empty means no bound. */
                    current_to?: string | unknown | unknown | unknown | unknown;
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: never;
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/overview": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get: {
            parameters: {
                query?: {
                    /** @description Hours of traffic in the sparklines, ending at the next whole hour, in 24 equal buckets of whole hours: a number of hours that is not a multiple of 24 is rounded up to the next one (`traffic_range` says what is shown). */
                    hours?: number;
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: never;
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/models/{model}/aliases/{alias}/history": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get: {
            parameters: {
                query?: {
                    /** @description An instant (RFC 3339 or epoch number): only the holding at that time. */
                    at?: string;
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: never;
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/models/{model}/compare": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get: {
            parameters: {
                query: {
                    /** @description Version name or alias of one side, usually the champion (e.g. `champion` or `3`). */
                    a: string;
                    /** @description Version name or alias of the other side, usually the challenger. */
                    b: string;
                    /** @description Start of the period (inclusive); default: 7 days before `to`: an RFC 3339 date-time such as `2026-01-05T10:00:00Z` (ISO-8601 without a zone means UTC; years 0001 to 9999), or an epoch number in seconds (1e8 to 1e10), milliseconds (1e11 to 1e13) or microseconds (1e14 to 1e16); empty means no bound. */
                    from?: string | unknown | unknown | unknown | unknown;
                    /** @description End of the period (exclusive); default: now: an RFC 3339 date-time such as `2026-01-05T10:00:00Z` (ISO-8601 without a zone means UTC; years 0001 to 9999), or an epoch number in seconds (1e8 to 1e10), milliseconds (1e11 to 1e13) or microseconds (1e14 to 1e16); empty means no bound. */
                    to?: string | unknown | unknown | unknown | unknown;
                    /** @description Also compare per clock-aligned window of this length (UTC); at most 500 windows. */
                    window?: "1m" | "5m" | "15m" | "30m" | "1h" | "6h" | "12h" | "1d";
                    /** @description Confidence level of the intervals (two-sided). */
                    confidence?: number;
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: never;
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/audit": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get: {
            parameters: {
                query?: {
                    entity_type?: "model" | "model_version" | "alias" | "monitor" | "alert_rule" | "alert" | "channel" | "silence" | "user" | "api_key";
                    entity_id?: string;
                    /** @description Only entries about this model and what belongs to it. */
                    model?: string;
                    /** @description `user:<name>`, `api-key:<id>`, or a user or key name. */
                    actor?: string;
                    action?: string;
                    /** @description Only changes at or after this instant: an RFC 3339 date-time such as `2026-01-05T10:00:00Z` (ISO-8601 without a zone means UTC; years 0001 to 9999), or an epoch number in seconds (1e8 to 1e10), milliseconds (1e11 to 1e13) or microseconds (1e14 to 1e16); empty means no bound. */
                    from?: string | unknown | unknown | unknown | unknown;
                    /** @description Only changes before this instant: an RFC 3339 date-time such as `2026-01-05T10:00:00Z` (ISO-8601 without a zone means UTC; years 0001 to 9999), or an epoch number in seconds (1e8 to 1e10), milliseconds (1e11 to 1e13) or microseconds (1e14 to 1e16); empty means no bound. */
                    to?: string | unknown | unknown | unknown | unknown;
                    limit?: number;
                    /** @description Opaque: the `next_cursor` of the previous page, passed back unchanged. */
                    cursor?: string;
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: never;
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
}
export type webhooks = Record<string, never>;
export interface components {
    schemas: {
        RejectedRecordInput: {
            /** @description Position of the record in the request body, from 0. */
            index: number;
            id: string | null;
            error: string;
        };
        IngestResultInput: {
            accepted: number;
            rejected: components["schemas"]["RejectedRecordInput"][];
            /** @description Accepted records that broke the model schema (stored, and counted by data-quality monitors). */
            quality_violations?: number;
            /** @description Accepted records with at least one violation of each kind, e.g. `{"unknown_feature": 5832}` (kinds: type_mismatch, missing_feature, unknown_feature, unseen_category, unknown_segment, column_limit, …). */
            violations_by_kind?: {
                [key: string]: number;
            };
        };
        FeatureSpecInput: {
            name: string;
            /** @enum {string} */
            type: "numeric" | "categorical" | "boolean" | "text" | "timestamp";
            description?: string;
            /** @description Known categories; other values are stored and counted as unseen categories. */
            categories?: string[];
        };
        ModelSchemaInput: {
            /** @description Each name once; no feature may share its name with a segment. */
            features: components["schemas"]["FeatureSpecInput"][];
            /** @default prediction */
            prediction_field?: string;
            /** @description Positive-class score column (binary classification). */
            score_field?: string;
            /** @description Class name → probability column (multiclass classification). */
            class_score_fields?: {
                [key: string]: string;
            };
            /** @default label */
            label_field?: string;
            /** @default id */
            id_field?: string;
            /** @default timestamp */
            timestamp_field?: string;
            /** @description Known classes, positive class last for binary tasks. */
            classes?: string[];
            /**
             * @description Columns that split traffic into segments; each name once.
             * @default []
             */
            segments?: string[];
            /**
             * @description Features or segments that fairness monitors compare groups of.
             * @default []
             */
            sensitive_attributes?: string[];
        };
        MonitorWindowInput: {
            /**
             * @description Tumbling window aligned to the UTC clock.
             * @enum {string}
             */
            size: "1m" | "5m" | "15m" | "30m" | "1h" | "6h" | "12h" | "1d";
        } | {
            /** @description The newest N predictions, re-evaluated as they come. */
            last_n: number;
        };
        MonitorBaselineInput: {
            /** @constant */
            type: "reference";
            /** @description Reference dataset name; the newest one by default. */
            dataset?: string;
        } | {
            /** @constant */
            type: "period";
            /** Format: date-time */
            from: string;
            /** Format: date-time */
            to: string;
        } | {
            /** @constant */
            type: "trailing";
            /** @description The K windows before the evaluated one. */
            windows: number;
        };
        BoundsInput: {
            lower?: number;
            upper?: number;
        };
        MonitorConfigInput: {
            /** @constant */
            kind: "data_quality";
            /**
             * @default {
             *       "size": "1h"
             *     }
             */
            window?: components["schemas"]["MonitorWindowInput"];
            /**
             * @default {
             *       "type": "reference"
             *     }
             */
            baseline?: components["schemas"]["MonitorBaselineInput"];
            /** @description Watch only this model version. */
            version?: string;
            /** @description Watch only the traffic of one segment value. */
            segment?: {
                name: string;
                value: string;
            };
            /** @description Windows with fewer rows are reported as insufficient_data (a default per kind applies). */
            min_sample_size?: number;
            /** @description Features to watch; all by default. */
            features?: string[];
            /** @default 0.1 */
            max_missing_rate_increase?: number;
            /** @default 0.05 */
            max_out_of_range_rate?: number;
            /** @default 0.05 */
            max_unseen_category_rate?: number;
            /** @default 0.01 */
            max_violation_rate?: number;
        } | {
            /** @constant */
            kind: "feature_drift";
            /**
             * @default {
             *       "size": "1h"
             *     }
             */
            window?: components["schemas"]["MonitorWindowInput"];
            /**
             * @default {
             *       "type": "reference"
             *     }
             */
            baseline?: components["schemas"]["MonitorBaselineInput"];
            /** @description Watch only this model version. */
            version?: string;
            /** @description Watch only the traffic of one segment value. */
            segment?: {
                name: string;
                value: string;
            };
            /** @description Windows with fewer rows are reported as insufficient_data (a default per kind applies). */
            min_sample_size?: number;
            /** @description Features to watch; all by default. */
            features?: string[];
            /**
             * @description Method for every feature; chosen per type when absent.
             * @enum {string}
             */
            method?: "jensen_shannon" | "hellinger" | "psi" | "wasserstein_normed" | "ks" | "chi_square" | "total_variation";
            /** @description Method per feature. */
            methods?: {
                [key: string]: "jensen_shannon" | "hellinger" | "psi" | "wasserstein_normed" | "ks" | "chi_square" | "total_variation";
            };
            /** @description Fixed threshold per feature, instead of the one calibrated on the reference. */
            thresholds?: {
                [key: string]: number;
            };
        } | {
            /** @constant */
            kind: "prediction_drift";
            /**
             * @default {
             *       "size": "1h"
             *     }
             */
            window?: components["schemas"]["MonitorWindowInput"];
            /**
             * @default {
             *       "type": "reference"
             *     }
             */
            baseline?: components["schemas"]["MonitorBaselineInput"];
            /** @description Watch only this model version. */
            version?: string;
            /** @description Watch only the traffic of one segment value. */
            segment?: {
                name: string;
                value: string;
            };
            /** @description Windows with fewer rows are reported as insufficient_data (a default per kind applies). */
            min_sample_size?: number;
            /** @enum {string} */
            method?: "jensen_shannon" | "hellinger" | "psi" | "wasserstein_normed" | "ks" | "chi_square" | "total_variation";
            threshold?: number;
        } | {
            /** @constant */
            kind: "label_drift";
            /**
             * @default {
             *       "size": "1h"
             *     }
             */
            window?: components["schemas"]["MonitorWindowInput"];
            /**
             * @default {
             *       "type": "reference"
             *     }
             */
            baseline?: components["schemas"]["MonitorBaselineInput"];
            /** @description Watch only this model version. */
            version?: string;
            /** @description Watch only the traffic of one segment value. */
            segment?: {
                name: string;
                value: string;
            };
            /** @description Windows with fewer rows are reported as insufficient_data (a default per kind applies). */
            min_sample_size?: number;
            /** @enum {string} */
            method?: "jensen_shannon" | "hellinger" | "psi" | "wasserstein_normed" | "ks" | "chi_square" | "total_variation";
            threshold?: number;
        } | {
            /** @constant */
            kind: "multivariate_drift";
            /**
             * @default {
             *       "size": "1h"
             *     }
             */
            window?: components["schemas"]["MonitorWindowInput"];
            /**
             * @default {
             *       "type": "reference"
             *     }
             */
            baseline?: components["schemas"]["MonitorBaselineInput"];
            /** @description Watch only this model version. */
            version?: string;
            /** @description Watch only the traffic of one segment value. */
            segment?: {
                name: string;
                value: string;
            };
            /** @description Windows with fewer rows are reported as insufficient_data (a default per kind applies). */
            min_sample_size?: number;
            /** @description Numeric, categorical or boolean features to watch together; all of them by default. */
            features?: string[];
            /**
             * @description Rows drawn at most from the window and from the baseline (a deterministic sample).
             * @default 5000
             */
            max_sample_rows?: number;
            /**
             * @description Also train a classifier to tell the window from the baseline (its ROC AUC is reported).
             * @default false
             */
            domain_classifier?: boolean;
            /** @description Fixed bounds on the reconstruction error, instead of the ones calibrated on the baseline. */
            threshold?: components["schemas"]["BoundsInput"];
        } | {
            /** @constant */
            kind: "performance";
            /**
             * @default {
             *       "size": "1h"
             *     }
             */
            window?: components["schemas"]["MonitorWindowInput"];
            /**
             * @default {
             *       "type": "reference"
             *     }
             */
            baseline?: components["schemas"]["MonitorBaselineInput"];
            /** @description Watch only this model version. */
            version?: string;
            /** @description Watch only the traffic of one segment value. */
            segment?: {
                name: string;
                value: string;
            };
            /** @description Windows with fewer rows are reported as insufficient_data (a default per kind applies). */
            min_sample_size?: number;
            /** @description Metrics; the task's defaults when absent. */
            metrics?: string[];
            /** @description Fixed bounds per metric, instead of calibrated ones. */
            thresholds?: {
                [key: string]: components["schemas"]["BoundsInput"];
            };
        } | {
            /** @constant */
            kind: "estimated_performance";
            /**
             * @default {
             *       "size": "1h"
             *     }
             */
            window?: components["schemas"]["MonitorWindowInput"];
            /**
             * @default {
             *       "type": "reference"
             *     }
             */
            baseline?: components["schemas"]["MonitorBaselineInput"];
            /** @description Watch only this model version. */
            version?: string;
            /** @description Watch only the traffic of one segment value. */
            segment?: {
                name: string;
                value: string;
            };
            /** @description Windows with fewer rows are reported as insufficient_data (a default per kind applies). */
            min_sample_size?: number;
            /** @description Metrics to estimate; all four by default. */
            metrics?: ("accuracy" | "precision" | "recall" | "f1")[];
            /** @description Fixed bounds per metric, instead of calibrated ones. */
            thresholds?: {
                [key: string]: components["schemas"]["BoundsInput"];
            };
        } | {
            /** @constant */
            kind: "fairness";
            /**
             * @default {
             *       "size": "1h"
             *     }
             */
            window?: components["schemas"]["MonitorWindowInput"];
            /**
             * @default {
             *       "type": "reference"
             *     }
             */
            baseline?: components["schemas"]["MonitorBaselineInput"];
            /** @description Watch only this model version. */
            version?: string;
            /** @description Watch only the traffic of one segment value. */
            segment?: {
                name: string;
                value: string;
            };
            /** @description Windows with fewer rows are reported as insufficient_data (a default per kind applies). */
            min_sample_size?: number;
            /** @description Sensitive attributes (segments or categorical features); the schema's sensitive_attributes by default. */
            attributes?: string[];
            /** @description The favourable outcome; the positive class by default. */
            favourable?: string;
            /** @default 30 */
            min_group_size?: number;
            /** @default 0.1 */
            max_parity_difference?: number;
            /**
             * @description The four-fifths rule by default.
             * @default 0.8
             */
            min_parity_ratio?: number;
            /** @default 0.1 */
            max_equal_opportunity_difference?: number;
        } | {
            /** @constant */
            kind: "traffic";
            /**
             * @default {
             *       "size": "1h"
             *     }
             */
            window?: components["schemas"]["MonitorWindowInput"];
            /**
             * @default {
             *       "type": "reference"
             *     }
             */
            baseline?: components["schemas"]["MonitorBaselineInput"];
            /** @description Watch only this model version. */
            version?: string;
            /** @description Watch only the traffic of one segment value. */
            segment?: {
                name: string;
                value: string;
            };
            /** @description Windows with fewer rows are reported as insufficient_data (a default per kind applies). */
            min_sample_size?: number;
            /** @description Alert when a window has fewer predictions. */
            min_count?: number;
            /** @description Alert when a window has more predictions. */
            max_count?: number;
            /**
             * @description Alert below this share of the usual volume.
             * @default 0.5
             */
            drop_ratio?: number;
            /**
             * @description Alert above this multiple of the usual volume.
             * @default 3
             */
            spike_ratio?: number;
            /**
             * @description Past windows at the same hour to compare with.
             * @default 7
             */
            history_windows?: number;
        } | {
            /** @constant */
            kind: "custom_metric";
            /**
             * @default {
             *       "size": "1h"
             *     }
             */
            window?: components["schemas"]["MonitorWindowInput"];
            /**
             * @default {
             *       "type": "reference"
             *     }
             */
            baseline?: components["schemas"]["MonitorBaselineInput"];
            /** @description Watch only this model version. */
            version?: string;
            /** @description Watch only the traffic of one segment value. */
            segment?: {
                name: string;
                value: string;
            };
            /** @description Windows with fewer rows are reported as insufficient_data (a default per kind applies). */
            min_sample_size?: number;
            /** @description Name of the series. */
            metric: string;
            /** @enum {string} */
            aggregate: "count" | "mean" | "sum" | "min" | "max" | "std" | "share" | "rate" | "missing_rate";
            /** @description A feature name, or `prediction`, `score`, `label`. Not needed for `count`. */
            column?: string;
            /** @description For `share`: the category whose share is measured. */
            category?: string;
            /** @description For `rate`: the share of rows whose value satisfies it. */
            predicate?: {
                /** @enum {string} */
                op: "<" | "<=" | ">" | ">=" | "==" | "!=";
                value: number;
            };
            threshold: components["schemas"]["BoundsInput"];
        };
        ErrorInput: {
            /** @description Stable machine-readable code, e.g. `not_found`. */
            error: string;
            /** @description What went wrong and, where possible, how to fix it. */
            message: string;
            details?: unknown;
        };
        LabelMatcherInput: {
            label: string;
            /**
             * @description `=`, `!=`, `=~` (regex), `!~`; regexes match the whole value.
             * @default =
             * @enum {string}
             */
            op?: "=" | "!=" | "=~" | "!~";
            value: string;
        };
        AlertRuleBodyInput: {
            name: string;
            /**
             * @default static
             * @enum {string}
             */
            type?: "static" | "reference_band" | "change_detector";
            /** @default true */
            enabled?: boolean;
            /**
             * @default warning
             * @enum {string}
             */
            severity?: "info" | "warning" | "critical";
            /**
             * @description Which result series: matchers on `monitor`, `kind`, `feature`, `metric`, `version`, `segment`.
             * @default []
             */
            match?: components["schemas"]["LabelMatcherInput"][];
            /** @description `static` without `threshold`: result statuses that breach (default `["alert"]`). */
            on_status?: ("ok" | "warning" | "alert")[];
            /** @description `static`: the value breaches below `lower` or above `upper`. */
            threshold?: {
                lower?: number | null;
                upper?: number | null;
            };
            /** @description `reference_band`: band of mean ± k·σ of the reference chunks instead of the calibrated one. */
            k?: number;
            /** @description `change_detector`: the detector run on the series and its parameters. */
            detector?: {
                /** @enum {string} */
                method: "page_hinkley" | "cusum" | "adwin";
                params?: {
                    [key: string]: number | string;
                };
            };
            /**
             * @description Fire once `breaches` of the last `of` windows with data breach.
             * @default {
             *       "breaches": 1,
             *       "of": 1
             *     }
             */
            for_windows?: {
                breaches: number;
                of: number;
            };
            /** @default {} */
            labels?: {
                [key: string]: string;
            };
            /** @default {} */
            annotations?: {
                summary?: string;
                description?: string;
                runbook_url?: string;
            };
            /**
             * @description Channels to notify, by name.
             * @default []
             */
            channels?: string[];
            /** @description Channel that receives a retraining trigger with the evidence when alerts fire. */
            retrain_channel?: string | null;
            /**
             * @default [
             *       "model",
             *       "monitor"
             *     ]
             */
            group_by?: string[];
            /** @default 1 */
            group_wait_seconds?: number;
            /** @default 300 */
            group_interval_seconds?: number;
            /** @default 14400 */
            repeat_interval_seconds?: number;
        };
        /** @description The rule as stored, every default filled in. */
        AlertRuleSpecInput: {
            /**
             * @default static
             * @enum {string}
             */
            type?: "static" | "reference_band" | "change_detector";
            /** @default true */
            enabled?: boolean;
            /**
             * @default warning
             * @enum {string}
             */
            severity?: "info" | "warning" | "critical";
            /**
             * @description Which result series: matchers on `monitor`, `kind`, `feature`, `metric`, `version`, `segment`.
             * @default []
             */
            match?: components["schemas"]["LabelMatcherInput"][];
            /** @description `static` without `threshold`: result statuses that breach (default `["alert"]`). */
            on_status?: ("ok" | "warning" | "alert")[];
            /** @description `static`: the value breaches below `lower` or above `upper`. */
            threshold?: {
                lower?: number | null;
                upper?: number | null;
            };
            /** @description `reference_band`: band of mean ± k·σ of the reference chunks instead of the calibrated one. */
            k?: number;
            /** @description `change_detector`: the detector run on the series and its parameters. */
            detector?: {
                /** @enum {string} */
                method: "page_hinkley" | "cusum" | "adwin";
                params?: {
                    [key: string]: number | string;
                };
            };
            /**
             * @description Fire once `breaches` of the last `of` windows with data breach.
             * @default {
             *       "breaches": 1,
             *       "of": 1
             *     }
             */
            for_windows?: {
                breaches: number;
                of: number;
            };
            /** @default {} */
            labels?: {
                [key: string]: string;
            };
            /** @default {} */
            annotations?: {
                summary?: string;
                description?: string;
                runbook_url?: string;
            };
            /**
             * @description Channels to notify, by name.
             * @default []
             */
            channels?: string[];
            /** @description Channel that receives a retraining trigger with the evidence when alerts fire. */
            retrain_channel?: string | null;
            /**
             * @default [
             *       "model",
             *       "monitor"
             *     ]
             */
            group_by?: string[];
            /** @default 1 */
            group_wait_seconds?: number;
            /** @default 300 */
            group_interval_seconds?: number;
            /** @default 14400 */
            repeat_interval_seconds?: number;
        };
        AlertRuleInput: {
            id: number;
            model: string;
            name: string;
            spec: components["schemas"]["AlertRuleSpecInput"];
            created_at: string;
            updated_at: string;
        };
        AlertCommentInput: {
            id: number;
            author: string;
            body: string;
            created_at: string;
        };
        AlertInput: {
            id: number;
            fingerprint: string;
            /** @enum {string} */
            state: "pending" | "firing" | "resolved";
            severity: string;
            rule: string;
            labels: {
                [key: string]: string;
            };
            annotations: {
                [key: string]: string;
            };
            value: number | null;
            threshold_lower: number | null;
            threshold_upper: number | null;
            window_start: string;
            window_end: string;
            active_at: string;
            fired_at: string | null;
            resolved_at: string | null;
            acknowledged_at: string | null;
            acknowledged_by: string | null;
            /** @description Silences in force that match the alert. */
            silenced_by: number[];
            /** @description Firing alerts that inhibit this one now (see docs/alerting.md, Inhibition): it still fires, but is not notified and not counted as open. */
            inhibited_by: number[];
            comments?: components["schemas"]["AlertCommentInput"][];
        };
        SilenceInput: {
            id: number;
            matchers: components["schemas"]["LabelMatcherInput"][];
            starts_at: string;
            ends_at: string;
            comment: string;
            created_by: string;
            created_at: string;
            /** @enum {string} */
            state: "pending" | "active" | "expired";
        };
        SilenceBodyInput: {
            matchers: components["schemas"]["LabelMatcherInput"][];
            /** @description Now by default. */
            starts_at?: string | number;
            /** @description RFC 3339 / ISO-8601 date-time (no zone means UTC; years 0001–9999) or an epoch number: seconds (1e8–1e10), milliseconds (1e11–1e13) or microseconds (1e14–1e16). */
            ends_at?: string | number;
            /** @description Instead of `ends_at`: how long from `starts_at`. */
            duration_seconds?: number;
            comment: string;
            created_by?: string;
        };
        CreateModelInput: {
            name: string;
            /** @enum {string} */
            task: "binary_classification" | "multiclass_classification" | "regression";
            description?: string;
            /** @description Free-form string labels. */
            tags?: {
                [key: string]: string;
            };
            schema?: components["schemas"]["ModelSchemaInput"];
        };
        UpdateModelInput: {
            description?: string;
            /** @description Free-form string labels. */
            tags?: {
                [key: string]: string;
            };
            schema?: components["schemas"]["ModelSchemaInput"];
        };
        ModelInput: {
            name: string;
            /** @enum {string} */
            task: "binary_classification" | "multiclass_classification" | "regression";
            description: string | null;
            /** @description Free-form string labels. */
            tags: {
                [key: string]: string;
            };
            schema: {
                /** @description Each name once; no feature may share its name with a segment. */
                features: components["schemas"]["FeatureSpecInput"][];
                /** @default prediction */
                prediction_field?: string;
                /** @description Positive-class score column (binary classification). */
                score_field?: string;
                /** @description Class name → probability column (multiclass classification). */
                class_score_fields?: {
                    [key: string]: string;
                };
                /** @default label */
                label_field?: string;
                /** @default id */
                id_field?: string;
                /** @default timestamp */
                timestamp_field?: string;
                /** @description Known classes, positive class last for binary tasks. */
                classes?: string[];
                /**
                 * @description Columns that split traffic into segments; each name once.
                 * @default []
                 */
                segments?: string[];
                /**
                 * @description Features or segments that fairness monitors compare groups of.
                 * @default []
                 */
                sensitive_attributes?: string[];
            } | null;
            schema_source: ("declared" | "inferred") | null;
            created_at: string;
            updated_at: string;
        };
        CreateModelVersionInput: {
            name: string;
            artifact_uri?: string;
            params?: {
                [key: string]: unknown;
            };
            metrics?: {
                [key: string]: number;
            };
            /** @description Free-form string labels. */
            tags?: {
                [key: string]: string;
            };
            description?: string;
        };
        ModelVersionInput: {
            model: string;
            name: string;
            artifact_uri: string | null;
            params: {
                [key: string]: unknown;
            };
            metrics: {
                [key: string]: number;
            };
            /** @description Free-form string labels. */
            tags: {
                [key: string]: string;
            };
            description: string | null;
            created_at: string;
            /** @description The tracking run it was registered from (MLflow), if any. */
            run_id: string | null;
            /** @description The digest of its run's training dataset, if any. */
            data_digest: string | null;
            /** @description The aliases that point to it now (e.g. champion). */
            aliases: string[];
        };
        CreateChannelInput: {
            name: string;
            /** @default true */
            enabled?: boolean;
            /** @constant */
            type: "webhook";
            config: {
                url: string;
                /** @description Signing secret; generated when omitted, and shown once in the answer that creates it. */
                secret?: string;
                /** @description Extra request headers, e.g. an Authorization the receiver expects. */
                headers?: {
                    [key: string]: string;
                };
            };
        } | {
            name: string;
            /** @default true */
            enabled?: boolean;
            /** @constant */
            type: "slack";
            config: {
                /** @description The incoming-webhook URL Slack gave you. */
                url: string;
            };
        } | {
            name: string;
            /** @default true */
            enabled?: boolean;
            /** @constant */
            type: "email";
            config: {
                host: string;
                /** @default 587 */
                port?: number;
                /**
                 * @description TLS from the first byte (usually port 465).
                 * @default false
                 */
                secure?: boolean;
                /**
                 * @description Upgrade a plain connection with STARTTLS when offered, always, or never.
                 * @default opportunistic
                 * @enum {string}
                 */
                starttls?: "opportunistic" | "required" | "disabled";
                username?: string;
                password?: string;
                /** @description Sender, e.g. "Vigil <vigil@example.com>". */
                from: string;
                to: string[];
            };
        } | {
            name: string;
            /** @default true */
            enabled?: boolean;
            /** @constant */
            type: "pagerduty";
            config: {
                /** @description Integration key of a PagerDuty service (Events API v2). */
                routing_key: string;
                /** @default https://events.pagerduty.com/v2/enqueue */
                url?: string;
                source?: string;
            };
        } | {
            name: string;
            /** @default true */
            enabled?: boolean;
            /** @constant */
            type: "retrain_webhook";
            config: {
                url: string;
                /** @description Signing secret; generated when omitted, and shown once in the answer that creates it. */
                secret?: string;
                /** @description Extra request headers, e.g. an Authorization the receiver expects. */
                headers?: {
                    [key: string]: string;
                };
            };
        };
        UpdateChannelInput: {
            name?: string;
            enabled?: boolean;
            /** @description Settings to change, merged into the stored ones; `null` removes an optional setting. */
            config?: {
                [key: string]: unknown;
            };
            /** @description Webhooks: replace the signing secret; the new one is shown once, in this answer. */
            rotate_secret?: boolean;
        };
        ChannelInput: {
            id: number;
            name: string;
            /** @enum {string} */
            type: "webhook" | "slack" | "email" | "pagerduty" | "retrain_webhook";
            /** @description Settings, with secrets masked. */
            config: {
                [key: string]: unknown;
            };
            enabled: boolean;
            created_at: string;
            updated_at: string;
            /** @description Webhooks: the signing secret, only in the answer that creates or rotates it. */
            secret?: string;
        };
        DeliveryInput: {
            id: number;
            /** @description Sent as X-Vigil-Delivery-Id; the same on every retry. */
            delivery_id: string;
            channel_id: number;
            /** @description Channel name; null once the channel is deleted. */
            channel: string | null;
            dedup_key: string;
            /** @enum {string} */
            status: "pending" | "sending" | "delivered" | "dead";
            attempts: number;
            /** @description When a pending delivery is tried next. */
            next_attempt_at: string | null;
            last_error: string | null;
            created_at: string;
            updated_at: string;
            delivered_at: string | null;
        };
        ChannelTestResultInput: {
            id: number;
            /** @description Sent as X-Vigil-Delivery-Id; the same on every retry. */
            delivery_id: string;
            channel_id: number;
            /** @description Channel name; null once the channel is deleted. */
            channel: string | null;
            dedup_key: string;
            /** @enum {string} */
            status: "pending" | "sending" | "delivered" | "dead";
            attempts: number;
            /** @description When a pending delivery is tried next. */
            next_attempt_at: string | null;
            last_error: string | null;
            created_at: string;
            updated_at: string;
            delivered_at: string | null;
            /** @description Whether the receiver accepted the test notification. */
            ok: boolean;
        };
        MetricSeriesInput: {
            monitor: string;
            /** @enum {string} */
            kind: "data_quality" | "feature_drift" | "prediction_drift" | "label_drift" | "performance" | "estimated_performance" | "fairness" | "multivariate_drift" | "traffic" | "custom_metric";
            metric: string;
            /** @description An estimate made without labels (e.g. CBPE). */
            estimated: boolean;
            points: {
                start: string;
                /** @description The windows' values weighted by their sample sizes. */
                value: number | null;
                band_lower: number | null;
                band_upper: number | null;
                threshold_lower: number | null;
                threshold_upper: number | null;
                /**
                 * @description The worst status of the windows in the bucket.
                 * @enum {string}
                 */
                status: "ok" | "warning" | "alert" | "insufficient_data" | "error";
                sample_size: number;
                windows: number;
            }[];
        };
        ModelSeriesInput: {
            model: string;
            /** @description Start of the first bucket. */
            from: string;
            /** @description End of the last bucket (exclusive). */
            to: string;
            /** @description Width of every bucket. */
            step_seconds: number;
            version: string | null;
            segment: string | null;
            task: string;
            traffic: {
                start: string;
                predictions: number;
                labeled: number;
                label_coverage: number | null;
                mean_score: number | null;
            }[];
            predictions: {
                /** @enum {string} */
                kind: "categorical" | "numeric";
                classes: {
                    value: string;
                    count: number;
                }[];
                over_time: {
                    start: string;
                    counts: {
                        [key: string]: number;
                    };
                }[];
                histogram: {
                    edges: number[];
                    counts: number[];
                } | null;
            };
            performance: components["schemas"]["MetricSeriesInput"][];
            quality: {
                start: string;
                rows: number;
                violations: {
                    [key: string]: number;
                };
            }[];
            versions: string[];
            segments: {
                name: string;
                values: string[];
            }[];
        };
        DriftMapInput: {
            model: string;
            /** @description Start of the first bucket. */
            from: string;
            /** @description End of the last bucket (exclusive). */
            to: string;
            /** @description Width of every bucket. */
            step_seconds: number;
            version: string | null;
            segment: string | null;
            /** @description Bucket starts: the columns of the map. */
            buckets: string[];
            features: {
                feature: string;
                metric: string;
                scores: (number | null)[];
                thresholds: (number | null)[];
                /** @description Score / threshold: above 1 breaches. */
                ratios: (number | null)[];
                statuses: (("ok" | "warning" | "alert" | "insufficient_data" | "error") | null)[];
                max_ratio: number | null;
            }[];
        };
        FeatureDetailInput: {
            model: string;
            /** @description Start of the first bucket. */
            from: string;
            /** @description End of the last bucket (exclusive). */
            to: string;
            /** @description Width of every bucket. */
            step_seconds: number;
            version: string | null;
            segment: string | null;
            feature: string;
            /** @enum {string} */
            role: "feature" | "segment";
            type: string;
            reference_dataset: string | null;
            distribution: {
                /** @enum {string} */
                kind: "numeric" | "categorical";
                /** @description Shared bin edges; the first and last bin also count values beyond them. */
                edges: number[] | null;
                reference: number[];
                current: number[];
                /** @description The category of each count; null stands for all other categories. */
                categories: (string | null)[] | null;
                reference_missing: number;
                current_missing: number;
                reference_rows: number;
                current_rows: number;
                /** @description Start of the data drawn as the current distribution. */
                current_from: string;
                /** @description End of the data drawn as the current distribution (exclusive). */
                current_to: string;
            };
            drift: components["schemas"]["MetricSeriesInput"][];
            quality: {
                start: string;
                rows: number;
                missing: number;
                violations: {
                    [key: string]: number;
                };
            }[];
            examples: {
                id: string;
                timestamp: string;
                value: number | string | boolean | null;
                invalid_value: unknown;
                prediction: string | null;
                score: number | null;
                label: string | null;
                violations: string[];
            }[];
        };
        AuditActorInput: {
            /** @enum {string} */
            type: "user" | "api_key" | "cli";
            /** @description The user's or API key's id. */
            id: string;
            /** @description The user name, or the API key's name. */
            name: string | null;
            /** @description As other records name actors: `user:<name>`, `api-key:<id>`, `cli`. */
            ref: string;
        };
        AuditEntryInput: {
            /** @description Grows with every entry. */
            id: number;
            /** @description When the change was committed. */
            at: string;
            actor: components["schemas"]["AuditActorInput"];
            /** @enum {string} */
            entity_type: "model" | "model_version" | "alias" | "monitor" | "alert_rule" | "alert" | "channel" | "silence" | "user" | "api_key";
            /** @description Models by name, versions as `<model>/<version>`, aliases as `<model>@<alias>`, the rest by numeric id. */
            entity_id: string;
            /** @description The model the entity belongs to; null for channels, silences, users, keys. */
            model: string | null;
            /** @description `create`, `update`, `delete`, or what the route does: `set`, `rollback`, `promote`, … */
            action: string;
            /** @description The entity before the change (null when it did not exist), secrets left out. */
            before: unknown;
            /** @description The entity after the change (null when deleted), secrets left out. */
            after: unknown;
            /** @description A secret changed (a password, a webhook secret, an SMTP password): they are never shown. */
            secrets_changed: boolean;
            /** @description The request that made the change, as server logs name it. */
            request_id: string | null;
        };
        /** @description Optional: 48 hours of history at 300 predictions per hour, seed 7, by default; hours × rate_per_hour at most 20,000. */
        StartDemoInput: {
            /** @description Hours of history to backfill before now (48 by default). */
            hours?: number;
            /** @description Predictions per hour on average, 300 by default (busier in the afternoon, quieter at night). */
            rate_per_hour?: number;
            /** @description Seed of the generated data (7 by default). */
            seed?: number;
        } | null;
        DemoStartedInput: {
            model: string;
            /** @description False when the demo already existed (it streams again if it had stopped). */
            created: boolean;
            streaming: boolean;
            /** @description Predictions backfilled. */
            predictions: number;
            /** @description Labels backfilled (the rest arrive while it streams). */
            labels: number;
        };
        DemoStateInput: {
            model: string | null;
            streaming: boolean;
        };
        DemoRemovedInput: {
            /** @description Models deleted, with all their data. */
            removed: string[];
        };
        PredictionRecordInput: {
            /** @description Client-given id; generated when absent. */
            id?: string;
            /** @description When the prediction was made; defaults to now. */
            timestamp?: string | number;
            /** @description Model version that made the prediction. */
            version?: string;
            /** @description Input features by name. */
            features: {
                [key: string]: string | number | boolean | null;
            };
            prediction: string | number | boolean;
            /** @description Positive-class score (binary) or any scalar confidence. */
            score?: number;
            /** @description Per-class probabilities. */
            scores?: {
                [key: string]: number;
            };
            /** @description True outcome, when it is known at prediction time. */
            label?: string | number | boolean;
            segments?: {
                [key: string]: string | number | boolean;
            };
        };
        PredictionColumnsInput: {
            /** @description Number of rows; every array has exactly this many values. */
            length: number;
            id?: (string | null)[] | string;
            timestamp?: ((string | number) | null)[] | (string | number);
            /** @description Usually one scalar for the whole batch. */
            version?: (string | null)[] | string;
            prediction: (string | number | boolean | null)[] | (string | number | boolean);
            score?: (number | null)[] | number;
            /** @description Per-class probabilities, by class. */
            scores?: {
                [key: string]: (number | null)[] | number;
            };
            label?: (string | number | boolean | null)[] | (string | number | boolean);
            /** @description Feature columns by name. */
            features?: {
                [key: string]: (string | number | boolean | null)[] | (string | number | boolean | null);
            };
            segments?: {
                [key: string]: (string | number | boolean | null)[] | (string | number | boolean);
            };
        };
        LabelRecordInput: {
            id: string;
            label: string | number | boolean;
            /** @description When the outcome became known; defaults to now. */
            timestamp?: string | number;
        };
        StoredPredictionInput: {
            id: string;
            timestamp: string;
            version: string | null;
            /** @description Features as stored; a value that broke its type comes back exactly as it was sent. */
            features: {
                [key: string]: unknown;
            };
            prediction: string | number | boolean | null;
            score: number | null;
            scores: {
                [key: string]: number;
            } | null;
            label: string | number | boolean | null;
            label_timestamp: string | null;
            segments: {
                [key: string]: string;
            };
            quality_violations: string[];
        };
        InferredColumnsInput: {
            features: string[];
            segments: string[];
            id: string | null;
            timestamp: string | null;
            prediction: string | null;
            score: string | null;
            label: string | null;
        };
        ReferenceResultInput: {
            accepted: number;
            rejected: components["schemas"]["RejectedRecordInput"][];
            /** @description Accepted records that broke the model schema (stored, and counted by data-quality monitors). */
            quality_violations?: number;
            /** @description Accepted records with at least one violation of each kind, e.g. `{"unknown_feature": 5832}` (kinds: type_mismatch, missing_feature, unknown_feature, unseen_category, unknown_segment, column_limit, …). */
            violations_by_kind?: {
                [key: string]: number;
            };
            schema_inferred: boolean;
            /** @description When this upload inferred the schema: its features and segments, and the column read as id, timestamp, prediction, score and label (null: none). */
            inferred: components["schemas"]["InferredColumnsInput"] | null;
            /** @description True when the same upload (same body, or same Idempotency-Key) was applied before: nothing was stored again. */
            replayed: boolean;
        };
        StoredReferenceRowInput: {
            id: string;
            timestamp: string;
            version: string | null;
            /** @description Features as stored; a value that broke its type comes back exactly as it was sent. */
            features: {
                [key: string]: unknown;
            };
            prediction: string | number | boolean | null;
            score: number | null;
            scores: {
                [key: string]: number;
            } | null;
            label: string | number | boolean | null;
            segments: {
                [key: string]: string;
            };
            quality_violations: string[];
        };
        ApiKeyInput: {
            id: number;
            name: string;
            /** @enum {string} */
            scope: "admin" | "write" | "read";
            prefix: string;
            created_at: string;
            revoked_at: string | null;
            /** @description Last request made with the key, to the minute; null when not used since this was recorded. */
            last_used_at: string | null;
            /** @description `user:<name>`, `api-key:<id>`, `first-start` or `vigil keys create`; null for older keys. */
            created_by: string | null;
        };
        ReferenceDatasetInput: {
            name: string;
            version: string | null;
            rows: number;
            created_at: string;
        };
        CreateMonitorInput: {
            name: string;
            enabled?: boolean;
            /** @description What to watch, over which windows, against which baseline. */
            config: components["schemas"]["MonitorConfigInput"];
        };
        UpdateMonitorInput: {
            enabled?: boolean;
            /** @description The whole new definition (its kind cannot change). */
            config?: components["schemas"]["MonitorConfigInput"];
        };
        MonitorInput: {
            name: string;
            /** @enum {string} */
            kind: "data_quality" | "feature_drift" | "prediction_drift" | "label_drift" | "performance" | "estimated_performance" | "fairness" | "multivariate_drift" | "traffic" | "custom_metric";
            enabled: boolean;
            is_default: boolean;
            /** @description The monitor definition, with defaults filled in. */
            config: components["schemas"]["MonitorConfigInput"];
            /** @description Windows queued for evaluation. */
            pending_windows: number;
            created_at: string;
            updated_at: string;
        };
        MonitorResultInput: {
            monitor: string;
            /** @enum {string} */
            kind: "data_quality" | "feature_drift" | "prediction_drift" | "label_drift" | "performance" | "estimated_performance" | "fairness" | "multivariate_drift" | "traffic" | "custom_metric";
            version: string | null;
            /** @description `name=value` of the segment, or null for all traffic. */
            segment: string | null;
            window_start: string;
            window_end: string;
            feature: string | null;
            metric: string;
            value: number | null;
            threshold_lower: number | null;
            threshold_upper: number | null;
            band_lower: number | null;
            band_upper: number | null;
            sample_size: number;
            /** @enum {string} */
            status: "ok" | "warning" | "alert" | "insufficient_data" | "error";
            reason: string | null;
            details: {
                [key: string]: unknown;
            } | null;
            evaluated_at: string;
        };
        ModelHealthInput: {
            model: string;
            /**
             * @description The worst current status of its monitors.
             * @enum {string}
             */
            status: "alerting" | "warning" | "error" | "ok" | "insufficient_data" | "no_data";
            /** @description Monitors by their current status. */
            monitors: {
                [key: string]: number;
            };
            alerting_monitors: string[];
            last_prediction_at: string | null;
            last_evaluated_window: string | null;
        };
        ModelOverviewInput: {
            model: string;
            /** @enum {string} */
            task: "binary_classification" | "multiclass_classification" | "regression";
            description: string | null;
            /** @description Free-form string labels. */
            tags: {
                [key: string]: string;
            };
            /**
             * @description The worst status of its enabled monitors' newest windows.
             * @enum {string}
             */
            status: "alerting" | "warning" | "error" | "ok" | "insufficient_data" | "no_data";
            /** @description Enabled monitors by their current status. */
            monitors: {
                [key: string]: number;
            };
            alerting_monitors: string[];
            /** @description Alerts firing now, not counting inhibited ones (as Alertmanager counts them). */
            open_alerts: number;
            /** @description Open alerts that nobody has acknowledged. */
            unacknowledged_alerts: number;
            /** @description Alerts firing now that another firing alert inhibits (a warning under a critical of the same series, drift while there is no traffic). */
            inhibited_alerts: number;
            last_prediction_at: string | null;
            /** @description The version on its newest prediction in the traffic range, else its newest registered version. */
            current_version: string | null;
            /** @description Predictions per bucket, oldest first. */
            traffic: number[];
            created_at: string;
        };
        OverviewInput: {
            generated_at: string;
            traffic_range: {
                from: string;
                to: string;
                bucket_seconds: number;
            };
            totals: {
                models: number;
                by_status: {
                    [key: string]: number;
                };
                open_alerts: number;
            };
            data: components["schemas"]["ModelOverviewInput"][];
        };
        UserInput: {
            id: number;
            username: string;
            /**
             * @description admin: everything; editor: read, send data, acknowledge and silence alerts, edit monitors; viewer: read only.
             * @enum {string}
             */
            role: "admin" | "editor" | "viewer";
            disabled: boolean;
            created_at: string;
            updated_at: string;
            last_sign_in_at: string | null;
            /** @description `user:<name>`, `api-key:<id>`, `first-start` or `vigil users`. */
            created_by: string;
        };
        CreateUserInput: {
            /** @description Sign-in name; stored in lower case, and sign-in ignores case. */
            username: string;
            /** @description 8 to 256 characters. Never returned or logged. */
            password: string;
            /**
             * @description admin: everything; editor: read, send data, acknowledge and silence alerts, edit monitors; viewer: read only.
             * @enum {string}
             */
            role: "admin" | "editor" | "viewer";
        };
        UpdateUserInput: {
            /**
             * @description admin: everything; editor: read, send data, acknowledge and silence alerts, edit monitors; viewer: read only.
             * @enum {string}
             */
            role?: "admin" | "editor" | "viewer";
            /** @description 8 to 256 characters. Never returned or logged. */
            password?: string;
            /** @description A disabled user cannot sign in; their sessions end at once. */
            disabled?: boolean;
        };
        SessionInput: {
            user: {
                id: number;
                username: string;
                /**
                 * @description admin: everything; editor: read, send data, acknowledge and silence alerts, edit monitors; viewer: read only.
                 * @enum {string}
                 */
                role: "admin" | "editor" | "viewer";
            };
            /** @description Send it as `X-CSRF-Token` with every POST, PUT, PATCH and DELETE made with the session cookie. */
            csrfToken: string;
            /** @description When the session ends unless used again (each use moves it forward, up to its maximum age). */
            expiresAt: string;
        };
        ComparedVersionInput: {
            /** @description The version compared. */
            version: string;
            /** @description What the query named: the version itself or an alias. */
            requested: string;
            /** @description The alias it was resolved from, if any. */
            alias: string | null;
        };
        MetricComparisonInput: {
            /** @enum {string} */
            metric: "accuracy" | "precision" | "recall" | "f1" | "roc_auc" | "macro_recall" | "mae" | "rmse";
            greater_is_better: boolean;
            /**
             * @description McNemar (exact) with a Newcombe interval for accuracy, DeLong for ROC AUC, a paired bootstrap otherwise.
             * @enum {string}
             */
            test: "mcnemar" | "delong" | "paired_bootstrap";
            /**
             * @description `insufficient_data`: too few labelled pairs (see `reason`); the numbers are then null.
             * @enum {string}
             */
            status: "ok" | "insufficient_data";
            reason: string | null;
            /** @description A's value on the labelled pairs. */
            a: number | null;
            /** @description B's value on the same pairs. */
            b: number | null;
            /** @description b − a: positive when B scores higher. */
            difference: number | null;
            /** @description Lower bound of the paired interval of b − a. */
            lower: number | null;
            /** @description Upper bound of the paired interval of b − a. */
            upper: number | null;
            /** @description Two-sided p-value of the paired test of no difference. */
            p_value: number | null;
            /** @description Labelled pairs the numbers come from: all of them, or a deterministic sample of at most 10,000 for DeLong and the bootstrap. */
            sample_size: number;
            /** @description True when `sample_size` is a sample of the labelled pairs. */
            sampled: boolean;
            /** @description The side that is significantly better at the chosen confidence (null: no evidence either way). */
            better: ("a" | "b") | null;
        };
        EstimatedComparisonInput: {
            /** @constant */
            method: "cbpe";
            /** @enum {string} */
            status: "ok" | "insufficient_data";
            reason: string | null;
            /** @description A's estimated performance on the paired predictions. */
            a: {
                [key: string]: number | null;
            } | null;
            /** @description B's estimated performance on the same predictions. */
            b: {
                [key: string]: number | null;
            } | null;
            /** @description The reference data the scores are calibrated on. */
            calibration: string | null;
        };
        ComparisonWindowInput: {
            start: string;
            end: string;
            /** @description Prediction ids both versions predicted in this window. */
            pairs: number;
            /** @description Pairs with a label. */
            labelled: number;
            /** @description Available before labels arrive. */
            agreement: {
                /** @description Share of pairs with the same prediction (null: no pairs). */
                rate: number | null;
                agreeing: number;
                /** @description Regression: the mean |prediction a − prediction b| (null otherwise). */
                mean_absolute_difference: number | null;
            };
            /** @description Binary classification: estimated performance of each side (CBPE, as the estimated-performance monitor computes it); null for other tasks. */
            estimated: components["schemas"]["EstimatedComparisonInput"] | null;
            /** @description One entry per performance metric of the task. */
            metrics: components["schemas"]["MetricComparisonInput"][];
        };
        ComparisonResultInput: {
            model: string;
            task: string;
            a: components["schemas"]["ComparedVersionInput"];
            b: components["schemas"]["ComparedVersionInput"];
            from: string;
            to: string;
            window: ("1m" | "5m" | "15m" | "30m" | "1h" | "6h" | "12h" | "1d") | null;
            confidence: number;
            /** @description Binary classification: the class counted as positive. */
            positive_class: string | null;
            /** @description The whole period. */
            overall: components["schemas"]["ComparisonWindowInput"];
            /** @description Per window (oldest first) when `window` is given; only windows with pairs. */
            windows: components["schemas"]["ComparisonWindowInput"][];
        };
        ShadowPredictionInput: {
            /** @description The id of the prediction the serving version logged for the same request. */
            id: string;
            /** @description When the shadow version predicted; defaults to now. */
            timestamp?: string | number;
            prediction: string | number | boolean;
            /** @description Positive-class score (binary) or any scalar confidence. */
            score?: number;
            /** @description Per-class probabilities. */
            scores?: {
                [key: string]: number;
            };
        };
        ShadowPredictionBatchInput: {
            /** @description The shadow (challenger) version. */
            version: string;
            predictions: components["schemas"]["ShadowPredictionInput"][];
        };
        ShadowIngestResultInput: {
            /** @description Stored now, durably. */
            accepted: number;
            /** @description Already stored for this version and id (re-sent): stored once, the first one kept. */
            duplicates: number;
        };
        AliasHoldingInput: {
            alias: string;
            version: string;
            /** @description When this version began to hold the alias. */
            from: string;
            /** @description When it stopped; null while it holds the alias. */
            to: string | null;
            /** @description Who set it: `api-key:<id>` or `user:<name>`. */
            set_by: string;
            /** @enum {string} */
            reason: "set" | "rollback";
            ended_by: ("moved" | "deleted" | "rolled_back") | null;
        };
        MetricCheckInput: {
            metric: string;
            greater_is_better: boolean;
            /**
             * @description Where the metric comes from: the versions' run metrics (`run`, the default); their labelled performance on the same production traffic, compared paired (`live`: accuracy, precision, recall, f1, roc_auc, macro_recall, mae, rmse as fit the task); or their estimated performance before labels (`live_estimated`: CBPE accuracy, precision, recall, f1 of a binary classifier).
             * @default run
             * @enum {string}
             */
            source?: "run" | "live" | "live_estimated";
            /** @description The candidate must be at least (or at most) this. */
            threshold?: number;
            /** @description Least improvement over the current holder. */
            min_absolute_change?: number;
            /** @description Least improvement over the current holder, as a fraction of its value. */
            min_relative_change?: number;
            /**
             * @description `live` only: the paired test must also find the candidate better than the holder (its interval of the difference excludes 0 on the better side).
             * @default false
             */
            require_significant?: boolean;
        };
        LiveGateWindowInput: {
            /** @description Start of the traffic compared (RFC 3339 or epoch number); default: 7 days before `to`. */
            from?: string | number;
            /** @description End of the traffic compared; default: now. */
            to?: string | number;
            /**
             * @description Fewest labelled pairs a `live` check accepts; with fewer it fails.
             * @default 100
             */
            min_labelled?: number;
            /**
             * @description Confidence of the paired intervals.
             * @default 0.95
             */
            confidence?: number;
        };
        PromotionCheckInput: {
            metric: string;
            /** @enum {string} */
            check: "threshold" | "min_absolute_change" | "min_relative_change" | "significant_improvement";
            /** @enum {string} */
            source: "run" | "live" | "live_estimated";
            passed: boolean;
            /** @description True when nothing holds the alias, so there is nothing to compare with. */
            skipped: boolean;
            candidate: number | null;
            baseline: number | null;
            /** @description The threshold or least change; for `significant_improvement`, the test level α. */
            required: number;
            message: string;
            /** @description For live checks: the paired comparison the numbers come from. */
            live: {
                from: string;
                to: string;
                pairs: number;
                labelled: number;
                /** @description candidate − holder */
                difference: number | null;
                lower: number | null;
                upper: number | null;
                p_value: number | null;
            } | null;
        };
        PromotionRefusedInput: {
            /** @constant */
            error: "promotion_refused";
            /** @description What went wrong and, where possible, how to fix it. */
            message: string;
            /** @description Every check, passed or failed, as a promotion would list them. */
            details: components["schemas"]["PromotionCheckInput"][];
        };
        CreatedApiKeyInput: {
            id: number;
            name: string;
            /** @enum {string} */
            scope: "admin" | "write" | "read";
            prefix: string;
            created_at: string;
            revoked_at: string | null;
            /** @description Last request made with the key, to the minute; null when not used since this was recorded. */
            last_used_at: string | null;
            /** @description `user:<name>`, `api-key:<id>`, `first-start` or `vigil keys create`; null for older keys. */
            created_by: string | null;
            key: string;
        };
        SetAliasInput: {
            version: string;
        };
        RollbackResultInput: {
            current: components["schemas"]["AliasHoldingInput"];
            rolled_back_from: components["schemas"]["AliasHoldingInput"];
        };
        PromoteVersionInput: {
            version: string;
            /** @default [] */
            checks?: components["schemas"]["MetricCheckInput"][];
            /** @description The production traffic live checks compare on. */
            live?: components["schemas"]["LiveGateWindowInput"];
        };
        PromotionResultInput: {
            current: components["schemas"]["AliasHoldingInput"];
            checks: components["schemas"]["PromotionCheckInput"][];
        };
        RejectedRecord: {
            /** @description Position of the record in the request body, from 0. */
            index: number;
            id: string | null;
            error: string;
        };
        IngestResult: {
            accepted: number;
            rejected: components["schemas"]["RejectedRecord"][];
            /** @description Accepted records that broke the model schema (stored, and counted by data-quality monitors). */
            quality_violations?: number;
            /** @description Accepted records with at least one violation of each kind, e.g. `{"unknown_feature": 5832}` (kinds: type_mismatch, missing_feature, unknown_feature, unseen_category, unknown_segment, column_limit, …). */
            violations_by_kind?: {
                [key: string]: number;
            };
        };
        FeatureSpec: {
            name: string;
            /** @enum {string} */
            type: "numeric" | "categorical" | "boolean" | "text" | "timestamp";
            description?: string;
            /** @description Known categories; other values are stored and counted as unseen categories. */
            categories?: string[];
        };
        ModelSchema: {
            /** @description Each name once; no feature may share its name with a segment. */
            features: components["schemas"]["FeatureSpec"][];
            /** @default prediction */
            prediction_field: string;
            /** @description Positive-class score column (binary classification). */
            score_field?: string;
            /** @description Class name → probability column (multiclass classification). */
            class_score_fields?: {
                [key: string]: string;
            };
            /** @default label */
            label_field: string;
            /** @default id */
            id_field: string;
            /** @default timestamp */
            timestamp_field: string;
            /** @description Known classes, positive class last for binary tasks. */
            classes?: string[];
            /**
             * @description Columns that split traffic into segments; each name once.
             * @default []
             */
            segments: string[];
            /**
             * @description Features or segments that fairness monitors compare groups of.
             * @default []
             */
            sensitive_attributes: string[];
        };
        MonitorWindow: {
            /**
             * @description Tumbling window aligned to the UTC clock.
             * @enum {string}
             */
            size: "1m" | "5m" | "15m" | "30m" | "1h" | "6h" | "12h" | "1d";
        } | {
            /** @description The newest N predictions, re-evaluated as they come. */
            last_n: number;
        };
        MonitorBaseline: {
            /** @constant */
            type: "reference";
            /** @description Reference dataset name; the newest one by default. */
            dataset?: string;
        } | {
            /** @constant */
            type: "period";
            /** Format: date-time */
            from: string;
            /** Format: date-time */
            to: string;
        } | {
            /** @constant */
            type: "trailing";
            /** @description The K windows before the evaluated one. */
            windows: number;
        };
        Bounds: {
            lower?: number;
            upper?: number;
        };
        MonitorConfig: {
            /** @constant */
            kind: "data_quality";
            /**
             * @default {
             *       "size": "1h"
             *     }
             */
            window: components["schemas"]["MonitorWindow"];
            /**
             * @default {
             *       "type": "reference"
             *     }
             */
            baseline: components["schemas"]["MonitorBaseline"];
            /** @description Watch only this model version. */
            version?: string;
            /** @description Watch only the traffic of one segment value. */
            segment?: {
                name: string;
                value: string;
            };
            /** @description Windows with fewer rows are reported as insufficient_data (a default per kind applies). */
            min_sample_size?: number;
            /** @description Features to watch; all by default. */
            features?: string[];
            /** @default 0.1 */
            max_missing_rate_increase: number;
            /** @default 0.05 */
            max_out_of_range_rate: number;
            /** @default 0.05 */
            max_unseen_category_rate: number;
            /** @default 0.01 */
            max_violation_rate: number;
        } | {
            /** @constant */
            kind: "feature_drift";
            /**
             * @default {
             *       "size": "1h"
             *     }
             */
            window: components["schemas"]["MonitorWindow"];
            /**
             * @default {
             *       "type": "reference"
             *     }
             */
            baseline: components["schemas"]["MonitorBaseline"];
            /** @description Watch only this model version. */
            version?: string;
            /** @description Watch only the traffic of one segment value. */
            segment?: {
                name: string;
                value: string;
            };
            /** @description Windows with fewer rows are reported as insufficient_data (a default per kind applies). */
            min_sample_size?: number;
            /** @description Features to watch; all by default. */
            features?: string[];
            /**
             * @description Method for every feature; chosen per type when absent.
             * @enum {string}
             */
            method?: "jensen_shannon" | "hellinger" | "psi" | "wasserstein_normed" | "ks" | "chi_square" | "total_variation";
            /** @description Method per feature. */
            methods?: {
                [key: string]: "jensen_shannon" | "hellinger" | "psi" | "wasserstein_normed" | "ks" | "chi_square" | "total_variation";
            };
            /** @description Fixed threshold per feature, instead of the one calibrated on the reference. */
            thresholds?: {
                [key: string]: number;
            };
        } | {
            /** @constant */
            kind: "prediction_drift";
            /**
             * @default {
             *       "size": "1h"
             *     }
             */
            window: components["schemas"]["MonitorWindow"];
            /**
             * @default {
             *       "type": "reference"
             *     }
             */
            baseline: components["schemas"]["MonitorBaseline"];
            /** @description Watch only this model version. */
            version?: string;
            /** @description Watch only the traffic of one segment value. */
            segment?: {
                name: string;
                value: string;
            };
            /** @description Windows with fewer rows are reported as insufficient_data (a default per kind applies). */
            min_sample_size?: number;
            /** @enum {string} */
            method?: "jensen_shannon" | "hellinger" | "psi" | "wasserstein_normed" | "ks" | "chi_square" | "total_variation";
            threshold?: number;
        } | {
            /** @constant */
            kind: "label_drift";
            /**
             * @default {
             *       "size": "1h"
             *     }
             */
            window: components["schemas"]["MonitorWindow"];
            /**
             * @default {
             *       "type": "reference"
             *     }
             */
            baseline: components["schemas"]["MonitorBaseline"];
            /** @description Watch only this model version. */
            version?: string;
            /** @description Watch only the traffic of one segment value. */
            segment?: {
                name: string;
                value: string;
            };
            /** @description Windows with fewer rows are reported as insufficient_data (a default per kind applies). */
            min_sample_size?: number;
            /** @enum {string} */
            method?: "jensen_shannon" | "hellinger" | "psi" | "wasserstein_normed" | "ks" | "chi_square" | "total_variation";
            threshold?: number;
        } | {
            /** @constant */
            kind: "multivariate_drift";
            /**
             * @default {
             *       "size": "1h"
             *     }
             */
            window: components["schemas"]["MonitorWindow"];
            /**
             * @default {
             *       "type": "reference"
             *     }
             */
            baseline: components["schemas"]["MonitorBaseline"];
            /** @description Watch only this model version. */
            version?: string;
            /** @description Watch only the traffic of one segment value. */
            segment?: {
                name: string;
                value: string;
            };
            /** @description Windows with fewer rows are reported as insufficient_data (a default per kind applies). */
            min_sample_size?: number;
            /** @description Numeric, categorical or boolean features to watch together; all of them by default. */
            features?: string[];
            /**
             * @description Rows drawn at most from the window and from the baseline (a deterministic sample).
             * @default 5000
             */
            max_sample_rows: number;
            /**
             * @description Also train a classifier to tell the window from the baseline (its ROC AUC is reported).
             * @default false
             */
            domain_classifier: boolean;
            /** @description Fixed bounds on the reconstruction error, instead of the ones calibrated on the baseline. */
            threshold?: components["schemas"]["Bounds"];
        } | {
            /** @constant */
            kind: "performance";
            /**
             * @default {
             *       "size": "1h"
             *     }
             */
            window: components["schemas"]["MonitorWindow"];
            /**
             * @default {
             *       "type": "reference"
             *     }
             */
            baseline: components["schemas"]["MonitorBaseline"];
            /** @description Watch only this model version. */
            version?: string;
            /** @description Watch only the traffic of one segment value. */
            segment?: {
                name: string;
                value: string;
            };
            /** @description Windows with fewer rows are reported as insufficient_data (a default per kind applies). */
            min_sample_size?: number;
            /** @description Metrics; the task's defaults when absent. */
            metrics?: string[];
            /** @description Fixed bounds per metric, instead of calibrated ones. */
            thresholds?: {
                [key: string]: components["schemas"]["Bounds"];
            };
        } | {
            /** @constant */
            kind: "estimated_performance";
            /**
             * @default {
             *       "size": "1h"
             *     }
             */
            window: components["schemas"]["MonitorWindow"];
            /**
             * @default {
             *       "type": "reference"
             *     }
             */
            baseline: components["schemas"]["MonitorBaseline"];
            /** @description Watch only this model version. */
            version?: string;
            /** @description Watch only the traffic of one segment value. */
            segment?: {
                name: string;
                value: string;
            };
            /** @description Windows with fewer rows are reported as insufficient_data (a default per kind applies). */
            min_sample_size?: number;
            /** @description Metrics to estimate; all four by default. */
            metrics?: ("accuracy" | "precision" | "recall" | "f1")[];
            /** @description Fixed bounds per metric, instead of calibrated ones. */
            thresholds?: {
                [key: string]: components["schemas"]["Bounds"];
            };
        } | {
            /** @constant */
            kind: "fairness";
            /**
             * @default {
             *       "size": "1h"
             *     }
             */
            window: components["schemas"]["MonitorWindow"];
            /**
             * @default {
             *       "type": "reference"
             *     }
             */
            baseline: components["schemas"]["MonitorBaseline"];
            /** @description Watch only this model version. */
            version?: string;
            /** @description Watch only the traffic of one segment value. */
            segment?: {
                name: string;
                value: string;
            };
            /** @description Windows with fewer rows are reported as insufficient_data (a default per kind applies). */
            min_sample_size?: number;
            /** @description Sensitive attributes (segments or categorical features); the schema's sensitive_attributes by default. */
            attributes?: string[];
            /** @description The favourable outcome; the positive class by default. */
            favourable?: string;
            /** @default 30 */
            min_group_size: number;
            /** @default 0.1 */
            max_parity_difference: number;
            /**
             * @description The four-fifths rule by default.
             * @default 0.8
             */
            min_parity_ratio: number;
            /** @default 0.1 */
            max_equal_opportunity_difference: number;
        } | {
            /** @constant */
            kind: "traffic";
            /**
             * @default {
             *       "size": "1h"
             *     }
             */
            window: components["schemas"]["MonitorWindow"];
            /**
             * @default {
             *       "type": "reference"
             *     }
             */
            baseline: components["schemas"]["MonitorBaseline"];
            /** @description Watch only this model version. */
            version?: string;
            /** @description Watch only the traffic of one segment value. */
            segment?: {
                name: string;
                value: string;
            };
            /** @description Windows with fewer rows are reported as insufficient_data (a default per kind applies). */
            min_sample_size?: number;
            /** @description Alert when a window has fewer predictions. */
            min_count?: number;
            /** @description Alert when a window has more predictions. */
            max_count?: number;
            /**
             * @description Alert below this share of the usual volume.
             * @default 0.5
             */
            drop_ratio: number;
            /**
             * @description Alert above this multiple of the usual volume.
             * @default 3
             */
            spike_ratio: number;
            /**
             * @description Past windows at the same hour to compare with.
             * @default 7
             */
            history_windows: number;
        } | {
            /** @constant */
            kind: "custom_metric";
            /**
             * @default {
             *       "size": "1h"
             *     }
             */
            window: components["schemas"]["MonitorWindow"];
            /**
             * @default {
             *       "type": "reference"
             *     }
             */
            baseline: components["schemas"]["MonitorBaseline"];
            /** @description Watch only this model version. */
            version?: string;
            /** @description Watch only the traffic of one segment value. */
            segment?: {
                name: string;
                value: string;
            };
            /** @description Windows with fewer rows are reported as insufficient_data (a default per kind applies). */
            min_sample_size?: number;
            /** @description Name of the series. */
            metric: string;
            /** @enum {string} */
            aggregate: "count" | "mean" | "sum" | "min" | "max" | "std" | "share" | "rate" | "missing_rate";
            /** @description A feature name, or `prediction`, `score`, `label`. Not needed for `count`. */
            column?: string;
            /** @description For `share`: the category whose share is measured. */
            category?: string;
            /** @description For `rate`: the share of rows whose value satisfies it. */
            predicate?: {
                /** @enum {string} */
                op: "<" | "<=" | ">" | ">=" | "==" | "!=";
                value: number;
            };
            threshold: components["schemas"]["Bounds"];
        };
        Error: {
            /** @description Stable machine-readable code, e.g. `not_found`. */
            error: string;
            /** @description What went wrong and, where possible, how to fix it. */
            message: string;
            details?: unknown;
        };
        LabelMatcher: {
            label: string;
            /**
             * @description `=`, `!=`, `=~` (regex), `!~`; regexes match the whole value.
             * @default =
             * @enum {string}
             */
            op: "=" | "!=" | "=~" | "!~";
            value: string;
        };
        AlertRuleBody: {
            name: string;
            /**
             * @default static
             * @enum {string}
             */
            type: "static" | "reference_band" | "change_detector";
            /** @default true */
            enabled: boolean;
            /**
             * @default warning
             * @enum {string}
             */
            severity: "info" | "warning" | "critical";
            /**
             * @description Which result series: matchers on `monitor`, `kind`, `feature`, `metric`, `version`, `segment`.
             * @default []
             */
            match: components["schemas"]["LabelMatcher"][];
            /** @description `static` without `threshold`: result statuses that breach (default `["alert"]`). */
            on_status?: ("ok" | "warning" | "alert")[];
            /** @description `static`: the value breaches below `lower` or above `upper`. */
            threshold?: {
                lower?: number | null;
                upper?: number | null;
            };
            /** @description `reference_band`: band of mean ± k·σ of the reference chunks instead of the calibrated one. */
            k?: number;
            /** @description `change_detector`: the detector run on the series and its parameters. */
            detector?: {
                /** @enum {string} */
                method: "page_hinkley" | "cusum" | "adwin";
                params?: {
                    [key: string]: number | string;
                };
            };
            /**
             * @description Fire once `breaches` of the last `of` windows with data breach.
             * @default {
             *       "breaches": 1,
             *       "of": 1
             *     }
             */
            for_windows: {
                breaches: number;
                of: number;
            };
            /** @default {} */
            labels: {
                [key: string]: string;
            };
            /** @default {} */
            annotations: {
                summary?: string;
                description?: string;
                runbook_url?: string;
            };
            /**
             * @description Channels to notify, by name.
             * @default []
             */
            channels: string[];
            /** @description Channel that receives a retraining trigger with the evidence when alerts fire. */
            retrain_channel?: string | null;
            /**
             * @default [
             *       "model",
             *       "monitor"
             *     ]
             */
            group_by: string[];
            /** @default 1 */
            group_wait_seconds: number;
            /** @default 300 */
            group_interval_seconds: number;
            /** @default 14400 */
            repeat_interval_seconds: number;
        };
        /** @description The rule as stored, every default filled in. */
        AlertRuleSpec: {
            /**
             * @default static
             * @enum {string}
             */
            type: "static" | "reference_band" | "change_detector";
            /** @default true */
            enabled: boolean;
            /**
             * @default warning
             * @enum {string}
             */
            severity: "info" | "warning" | "critical";
            /**
             * @description Which result series: matchers on `monitor`, `kind`, `feature`, `metric`, `version`, `segment`.
             * @default []
             */
            match: components["schemas"]["LabelMatcher"][];
            /** @description `static` without `threshold`: result statuses that breach (default `["alert"]`). */
            on_status?: ("ok" | "warning" | "alert")[];
            /** @description `static`: the value breaches below `lower` or above `upper`. */
            threshold?: {
                lower?: number | null;
                upper?: number | null;
            };
            /** @description `reference_band`: band of mean ± k·σ of the reference chunks instead of the calibrated one. */
            k?: number;
            /** @description `change_detector`: the detector run on the series and its parameters. */
            detector?: {
                /** @enum {string} */
                method: "page_hinkley" | "cusum" | "adwin";
                params?: {
                    [key: string]: number | string;
                };
            };
            /**
             * @description Fire once `breaches` of the last `of` windows with data breach.
             * @default {
             *       "breaches": 1,
             *       "of": 1
             *     }
             */
            for_windows: {
                breaches: number;
                of: number;
            };
            /** @default {} */
            labels: {
                [key: string]: string;
            };
            /** @default {} */
            annotations: {
                summary?: string;
                description?: string;
                runbook_url?: string;
            };
            /**
             * @description Channels to notify, by name.
             * @default []
             */
            channels: string[];
            /** @description Channel that receives a retraining trigger with the evidence when alerts fire. */
            retrain_channel?: string | null;
            /**
             * @default [
             *       "model",
             *       "monitor"
             *     ]
             */
            group_by: string[];
            /** @default 1 */
            group_wait_seconds: number;
            /** @default 300 */
            group_interval_seconds: number;
            /** @default 14400 */
            repeat_interval_seconds: number;
        };
        AlertRule: {
            id: number;
            model: string;
            name: string;
            spec: components["schemas"]["AlertRuleSpec"];
            created_at: string;
            updated_at: string;
        };
        AlertComment: {
            id: number;
            author: string;
            body: string;
            created_at: string;
        };
        Alert: {
            id: number;
            fingerprint: string;
            /** @enum {string} */
            state: "pending" | "firing" | "resolved";
            severity: string;
            rule: string;
            labels: {
                [key: string]: string;
            };
            annotations: {
                [key: string]: string;
            };
            value: number | null;
            threshold_lower: number | null;
            threshold_upper: number | null;
            window_start: string;
            window_end: string;
            active_at: string;
            fired_at: string | null;
            resolved_at: string | null;
            acknowledged_at: string | null;
            acknowledged_by: string | null;
            /** @description Silences in force that match the alert. */
            silenced_by: number[];
            /** @description Firing alerts that inhibit this one now (see docs/alerting.md, Inhibition): it still fires, but is not notified and not counted as open. */
            inhibited_by: number[];
            comments?: components["schemas"]["AlertComment"][];
        };
        Silence: {
            id: number;
            matchers: components["schemas"]["LabelMatcher"][];
            starts_at: string;
            ends_at: string;
            comment: string;
            created_by: string;
            created_at: string;
            /** @enum {string} */
            state: "pending" | "active" | "expired";
        };
        SilenceBody: {
            matchers: components["schemas"]["LabelMatcher"][];
            /** @description Now by default. */
            starts_at?: string | number;
            /** @description RFC 3339 / ISO-8601 date-time (no zone means UTC; years 0001–9999) or an epoch number: seconds (1e8–1e10), milliseconds (1e11–1e13) or microseconds (1e14–1e16). */
            ends_at?: string | number;
            /** @description Instead of `ends_at`: how long from `starts_at`. */
            duration_seconds?: number;
            comment: string;
            created_by?: string;
        };
        CreateModel: {
            name: string;
            /** @enum {string} */
            task: "binary_classification" | "multiclass_classification" | "regression";
            description?: string;
            /** @description Free-form string labels. */
            tags?: {
                [key: string]: string;
            };
            schema?: components["schemas"]["ModelSchema"];
        };
        UpdateModel: {
            description?: string;
            /** @description Free-form string labels. */
            tags?: {
                [key: string]: string;
            };
            schema?: components["schemas"]["ModelSchema"];
        };
        Model: {
            name: string;
            /** @enum {string} */
            task: "binary_classification" | "multiclass_classification" | "regression";
            description: string | null;
            /** @description Free-form string labels. */
            tags: {
                [key: string]: string;
            };
            schema: {
                /** @description Each name once; no feature may share its name with a segment. */
                features: components["schemas"]["FeatureSpec"][];
                /** @default prediction */
                prediction_field: string;
                /** @description Positive-class score column (binary classification). */
                score_field?: string;
                /** @description Class name → probability column (multiclass classification). */
                class_score_fields?: {
                    [key: string]: string;
                };
                /** @default label */
                label_field: string;
                /** @default id */
                id_field: string;
                /** @default timestamp */
                timestamp_field: string;
                /** @description Known classes, positive class last for binary tasks. */
                classes?: string[];
                /**
                 * @description Columns that split traffic into segments; each name once.
                 * @default []
                 */
                segments: string[];
                /**
                 * @description Features or segments that fairness monitors compare groups of.
                 * @default []
                 */
                sensitive_attributes: string[];
            } | null;
            schema_source: ("declared" | "inferred") | null;
            created_at: string;
            updated_at: string;
        };
        CreateModelVersion: {
            name: string;
            artifact_uri?: string;
            params?: {
                [key: string]: unknown;
            };
            metrics?: {
                [key: string]: number;
            };
            /** @description Free-form string labels. */
            tags?: {
                [key: string]: string;
            };
            description?: string;
        };
        ModelVersion: {
            model: string;
            name: string;
            artifact_uri: string | null;
            params: {
                [key: string]: unknown;
            };
            metrics: {
                [key: string]: number;
            };
            /** @description Free-form string labels. */
            tags: {
                [key: string]: string;
            };
            description: string | null;
            created_at: string;
            /** @description The tracking run it was registered from (MLflow), if any. */
            run_id: string | null;
            /** @description The digest of its run's training dataset, if any. */
            data_digest: string | null;
            /** @description The aliases that point to it now (e.g. champion). */
            aliases: string[];
        };
        CreateChannel: {
            name: string;
            /** @default true */
            enabled: boolean;
            /** @constant */
            type: "webhook";
            config: {
                url: string;
                /** @description Signing secret; generated when omitted, and shown once in the answer that creates it. */
                secret?: string;
                /** @description Extra request headers, e.g. an Authorization the receiver expects. */
                headers?: {
                    [key: string]: string;
                };
            };
        } | {
            name: string;
            /** @default true */
            enabled: boolean;
            /** @constant */
            type: "slack";
            config: {
                /** @description The incoming-webhook URL Slack gave you. */
                url: string;
            };
        } | {
            name: string;
            /** @default true */
            enabled: boolean;
            /** @constant */
            type: "email";
            config: {
                host: string;
                /** @default 587 */
                port: number;
                /**
                 * @description TLS from the first byte (usually port 465).
                 * @default false
                 */
                secure: boolean;
                /**
                 * @description Upgrade a plain connection with STARTTLS when offered, always, or never.
                 * @default opportunistic
                 * @enum {string}
                 */
                starttls: "opportunistic" | "required" | "disabled";
                username?: string;
                password?: string;
                /** @description Sender, e.g. "Vigil <vigil@example.com>". */
                from: string;
                to: string[];
            };
        } | {
            name: string;
            /** @default true */
            enabled: boolean;
            /** @constant */
            type: "pagerduty";
            config: {
                /** @description Integration key of a PagerDuty service (Events API v2). */
                routing_key: string;
                /** @default https://events.pagerduty.com/v2/enqueue */
                url: string;
                source?: string;
            };
        } | {
            name: string;
            /** @default true */
            enabled: boolean;
            /** @constant */
            type: "retrain_webhook";
            config: {
                url: string;
                /** @description Signing secret; generated when omitted, and shown once in the answer that creates it. */
                secret?: string;
                /** @description Extra request headers, e.g. an Authorization the receiver expects. */
                headers?: {
                    [key: string]: string;
                };
            };
        };
        UpdateChannel: {
            name?: string;
            enabled?: boolean;
            /** @description Settings to change, merged into the stored ones; `null` removes an optional setting. */
            config?: {
                [key: string]: unknown;
            };
            /** @description Webhooks: replace the signing secret; the new one is shown once, in this answer. */
            rotate_secret?: boolean;
        };
        Channel: {
            id: number;
            name: string;
            /** @enum {string} */
            type: "webhook" | "slack" | "email" | "pagerduty" | "retrain_webhook";
            /** @description Settings, with secrets masked. */
            config: {
                [key: string]: unknown;
            };
            enabled: boolean;
            created_at: string;
            updated_at: string;
            /** @description Webhooks: the signing secret, only in the answer that creates or rotates it. */
            secret?: string;
        };
        Delivery: {
            id: number;
            /** @description Sent as X-Vigil-Delivery-Id; the same on every retry. */
            delivery_id: string;
            channel_id: number;
            /** @description Channel name; null once the channel is deleted. */
            channel: string | null;
            dedup_key: string;
            /** @enum {string} */
            status: "pending" | "sending" | "delivered" | "dead";
            attempts: number;
            /** @description When a pending delivery is tried next. */
            next_attempt_at: string | null;
            last_error: string | null;
            created_at: string;
            updated_at: string;
            delivered_at: string | null;
        };
        ChannelTestResult: {
            id: number;
            /** @description Sent as X-Vigil-Delivery-Id; the same on every retry. */
            delivery_id: string;
            channel_id: number;
            /** @description Channel name; null once the channel is deleted. */
            channel: string | null;
            dedup_key: string;
            /** @enum {string} */
            status: "pending" | "sending" | "delivered" | "dead";
            attempts: number;
            /** @description When a pending delivery is tried next. */
            next_attempt_at: string | null;
            last_error: string | null;
            created_at: string;
            updated_at: string;
            delivered_at: string | null;
            /** @description Whether the receiver accepted the test notification. */
            ok: boolean;
        };
        MetricSeries: {
            monitor: string;
            /** @enum {string} */
            kind: "data_quality" | "feature_drift" | "prediction_drift" | "label_drift" | "performance" | "estimated_performance" | "fairness" | "multivariate_drift" | "traffic" | "custom_metric";
            metric: string;
            /** @description An estimate made without labels (e.g. CBPE). */
            estimated: boolean;
            points: {
                start: string;
                /** @description The windows' values weighted by their sample sizes. */
                value: number | null;
                band_lower: number | null;
                band_upper: number | null;
                threshold_lower: number | null;
                threshold_upper: number | null;
                /**
                 * @description The worst status of the windows in the bucket.
                 * @enum {string}
                 */
                status: "ok" | "warning" | "alert" | "insufficient_data" | "error";
                sample_size: number;
                windows: number;
            }[];
        };
        ModelSeries: {
            model: string;
            /** @description Start of the first bucket. */
            from: string;
            /** @description End of the last bucket (exclusive). */
            to: string;
            /** @description Width of every bucket. */
            step_seconds: number;
            version: string | null;
            segment: string | null;
            task: string;
            traffic: {
                start: string;
                predictions: number;
                labeled: number;
                label_coverage: number | null;
                mean_score: number | null;
            }[];
            predictions: {
                /** @enum {string} */
                kind: "categorical" | "numeric";
                classes: {
                    value: string;
                    count: number;
                }[];
                over_time: {
                    start: string;
                    counts: {
                        [key: string]: number;
                    };
                }[];
                histogram: {
                    edges: number[];
                    counts: number[];
                } | null;
            };
            performance: components["schemas"]["MetricSeries"][];
            quality: {
                start: string;
                rows: number;
                violations: {
                    [key: string]: number;
                };
            }[];
            versions: string[];
            segments: {
                name: string;
                values: string[];
            }[];
        };
        DriftMap: {
            model: string;
            /** @description Start of the first bucket. */
            from: string;
            /** @description End of the last bucket (exclusive). */
            to: string;
            /** @description Width of every bucket. */
            step_seconds: number;
            version: string | null;
            segment: string | null;
            /** @description Bucket starts: the columns of the map. */
            buckets: string[];
            features: {
                feature: string;
                metric: string;
                scores: (number | null)[];
                thresholds: (number | null)[];
                /** @description Score / threshold: above 1 breaches. */
                ratios: (number | null)[];
                statuses: (("ok" | "warning" | "alert" | "insufficient_data" | "error") | null)[];
                max_ratio: number | null;
            }[];
        };
        FeatureDetail: {
            model: string;
            /** @description Start of the first bucket. */
            from: string;
            /** @description End of the last bucket (exclusive). */
            to: string;
            /** @description Width of every bucket. */
            step_seconds: number;
            version: string | null;
            segment: string | null;
            feature: string;
            /** @enum {string} */
            role: "feature" | "segment";
            type: string;
            reference_dataset: string | null;
            distribution: {
                /** @enum {string} */
                kind: "numeric" | "categorical";
                /** @description Shared bin edges; the first and last bin also count values beyond them. */
                edges: number[] | null;
                reference: number[];
                current: number[];
                /** @description The category of each count; null stands for all other categories. */
                categories: (string | null)[] | null;
                reference_missing: number;
                current_missing: number;
                reference_rows: number;
                current_rows: number;
                /** @description Start of the data drawn as the current distribution. */
                current_from: string;
                /** @description End of the data drawn as the current distribution (exclusive). */
                current_to: string;
            };
            drift: components["schemas"]["MetricSeries"][];
            quality: {
                start: string;
                rows: number;
                missing: number;
                violations: {
                    [key: string]: number;
                };
            }[];
            examples: {
                id: string;
                timestamp: string;
                value: number | string | boolean | null;
                invalid_value: unknown;
                prediction: string | null;
                score: number | null;
                label: string | null;
                violations: string[];
            }[];
        };
        AuditActor: {
            /** @enum {string} */
            type: "user" | "api_key" | "cli";
            /** @description The user's or API key's id. */
            id: string;
            /** @description The user name, or the API key's name. */
            name: string | null;
            /** @description As other records name actors: `user:<name>`, `api-key:<id>`, `cli`. */
            ref: string;
        };
        AuditEntry: {
            /** @description Grows with every entry. */
            id: number;
            /** @description When the change was committed. */
            at: string;
            actor: components["schemas"]["AuditActor"];
            /** @enum {string} */
            entity_type: "model" | "model_version" | "alias" | "monitor" | "alert_rule" | "alert" | "channel" | "silence" | "user" | "api_key";
            /** @description Models by name, versions as `<model>/<version>`, aliases as `<model>@<alias>`, the rest by numeric id. */
            entity_id: string;
            /** @description The model the entity belongs to; null for channels, silences, users, keys. */
            model: string | null;
            /** @description `create`, `update`, `delete`, or what the route does: `set`, `rollback`, `promote`, … */
            action: string;
            /** @description The entity before the change (null when it did not exist), secrets left out. */
            before: unknown;
            /** @description The entity after the change (null when deleted), secrets left out. */
            after: unknown;
            /** @description A secret changed (a password, a webhook secret, an SMTP password): they are never shown. */
            secrets_changed: boolean;
            /** @description The request that made the change, as server logs name it. */
            request_id: string | null;
        };
        /** @description Optional: 48 hours of history at 300 predictions per hour, seed 7, by default; hours × rate_per_hour at most 20,000. */
        StartDemo: {
            /** @description Hours of history to backfill before now (48 by default). */
            hours?: number;
            /** @description Predictions per hour on average, 300 by default (busier in the afternoon, quieter at night). */
            rate_per_hour?: number;
            /** @description Seed of the generated data (7 by default). */
            seed?: number;
        } | null;
        DemoStarted: {
            model: string;
            /** @description False when the demo already existed (it streams again if it had stopped). */
            created: boolean;
            streaming: boolean;
            /** @description Predictions backfilled. */
            predictions: number;
            /** @description Labels backfilled (the rest arrive while it streams). */
            labels: number;
        };
        DemoState: {
            model: string | null;
            streaming: boolean;
        };
        DemoRemoved: {
            /** @description Models deleted, with all their data. */
            removed: string[];
        };
        PredictionRecord: {
            /** @description Client-given id; generated when absent. */
            id?: string;
            /** @description When the prediction was made; defaults to now. */
            timestamp?: string | number;
            /** @description Model version that made the prediction. */
            version?: string;
            /** @description Input features by name. */
            features: {
                [key: string]: string | number | boolean | null;
            };
            prediction: string | number | boolean;
            /** @description Positive-class score (binary) or any scalar confidence. */
            score?: number;
            /** @description Per-class probabilities. */
            scores?: {
                [key: string]: number;
            };
            /** @description True outcome, when it is known at prediction time. */
            label?: string | number | boolean;
            segments?: {
                [key: string]: string | number | boolean;
            };
        };
        PredictionColumns: {
            /** @description Number of rows; every array has exactly this many values. */
            length: number;
            id?: (string | null)[] | string;
            timestamp?: ((string | number) | null)[] | (string | number);
            /** @description Usually one scalar for the whole batch. */
            version?: (string | null)[] | string;
            prediction: (string | number | boolean | null)[] | (string | number | boolean);
            score?: (number | null)[] | number;
            /** @description Per-class probabilities, by class. */
            scores?: {
                [key: string]: (number | null)[] | number;
            };
            label?: (string | number | boolean | null)[] | (string | number | boolean);
            /** @description Feature columns by name. */
            features?: {
                [key: string]: (string | number | boolean | null)[] | (string | number | boolean | null);
            };
            segments?: {
                [key: string]: (string | number | boolean | null)[] | (string | number | boolean);
            };
        };
        LabelRecord: {
            id: string;
            label: string | number | boolean;
            /** @description When the outcome became known; defaults to now. */
            timestamp?: string | number;
        };
        StoredPrediction: {
            id: string;
            timestamp: string;
            version: string | null;
            /** @description Features as stored; a value that broke its type comes back exactly as it was sent. */
            features: {
                [key: string]: unknown;
            };
            prediction: string | number | boolean | null;
            score: number | null;
            scores: {
                [key: string]: number;
            } | null;
            label: string | number | boolean | null;
            label_timestamp: string | null;
            segments: {
                [key: string]: string;
            };
            quality_violations: string[];
        };
        InferredColumns: {
            features: string[];
            segments: string[];
            id: string | null;
            timestamp: string | null;
            prediction: string | null;
            score: string | null;
            label: string | null;
        };
        ReferenceResult: {
            accepted: number;
            rejected: components["schemas"]["RejectedRecord"][];
            /** @description Accepted records that broke the model schema (stored, and counted by data-quality monitors). */
            quality_violations?: number;
            /** @description Accepted records with at least one violation of each kind, e.g. `{"unknown_feature": 5832}` (kinds: type_mismatch, missing_feature, unknown_feature, unseen_category, unknown_segment, column_limit, …). */
            violations_by_kind?: {
                [key: string]: number;
            };
            schema_inferred: boolean;
            /** @description When this upload inferred the schema: its features and segments, and the column read as id, timestamp, prediction, score and label (null: none). */
            inferred: components["schemas"]["InferredColumns"] | null;
            /** @description True when the same upload (same body, or same Idempotency-Key) was applied before: nothing was stored again. */
            replayed: boolean;
        };
        StoredReferenceRow: {
            id: string;
            timestamp: string;
            version: string | null;
            /** @description Features as stored; a value that broke its type comes back exactly as it was sent. */
            features: {
                [key: string]: unknown;
            };
            prediction: string | number | boolean | null;
            score: number | null;
            scores: {
                [key: string]: number;
            } | null;
            label: string | number | boolean | null;
            segments: {
                [key: string]: string;
            };
            quality_violations: string[];
        };
        ApiKey: {
            id: number;
            name: string;
            /** @enum {string} */
            scope: "admin" | "write" | "read";
            prefix: string;
            created_at: string;
            revoked_at: string | null;
            /** @description Last request made with the key, to the minute; null when not used since this was recorded. */
            last_used_at: string | null;
            /** @description `user:<name>`, `api-key:<id>`, `first-start` or `vigil keys create`; null for older keys. */
            created_by: string | null;
        };
        ReferenceDataset: {
            name: string;
            version: string | null;
            rows: number;
            created_at: string;
        };
        CreateMonitor: {
            name: string;
            enabled?: boolean;
            /** @description What to watch, over which windows, against which baseline. */
            config: components["schemas"]["MonitorConfig"];
        };
        UpdateMonitor: {
            enabled?: boolean;
            /** @description The whole new definition (its kind cannot change). */
            config?: components["schemas"]["MonitorConfig"];
        };
        Monitor: {
            name: string;
            /** @enum {string} */
            kind: "data_quality" | "feature_drift" | "prediction_drift" | "label_drift" | "performance" | "estimated_performance" | "fairness" | "multivariate_drift" | "traffic" | "custom_metric";
            enabled: boolean;
            is_default: boolean;
            /** @description The monitor definition, with defaults filled in. */
            config: components["schemas"]["MonitorConfig"];
            /** @description Windows queued for evaluation. */
            pending_windows: number;
            created_at: string;
            updated_at: string;
        };
        MonitorResult: {
            monitor: string;
            /** @enum {string} */
            kind: "data_quality" | "feature_drift" | "prediction_drift" | "label_drift" | "performance" | "estimated_performance" | "fairness" | "multivariate_drift" | "traffic" | "custom_metric";
            version: string | null;
            /** @description `name=value` of the segment, or null for all traffic. */
            segment: string | null;
            window_start: string;
            window_end: string;
            feature: string | null;
            metric: string;
            value: number | null;
            threshold_lower: number | null;
            threshold_upper: number | null;
            band_lower: number | null;
            band_upper: number | null;
            sample_size: number;
            /** @enum {string} */
            status: "ok" | "warning" | "alert" | "insufficient_data" | "error";
            reason: string | null;
            details: {
                [key: string]: unknown;
            } | null;
            evaluated_at: string;
        };
        ModelHealth: {
            model: string;
            /**
             * @description The worst current status of its monitors.
             * @enum {string}
             */
            status: "alerting" | "warning" | "error" | "ok" | "insufficient_data" | "no_data";
            /** @description Monitors by their current status. */
            monitors: {
                [key: string]: number;
            };
            alerting_monitors: string[];
            last_prediction_at: string | null;
            last_evaluated_window: string | null;
        };
        ModelOverview: {
            model: string;
            /** @enum {string} */
            task: "binary_classification" | "multiclass_classification" | "regression";
            description: string | null;
            /** @description Free-form string labels. */
            tags: {
                [key: string]: string;
            };
            /**
             * @description The worst status of its enabled monitors' newest windows.
             * @enum {string}
             */
            status: "alerting" | "warning" | "error" | "ok" | "insufficient_data" | "no_data";
            /** @description Enabled monitors by their current status. */
            monitors: {
                [key: string]: number;
            };
            alerting_monitors: string[];
            /** @description Alerts firing now, not counting inhibited ones (as Alertmanager counts them). */
            open_alerts: number;
            /** @description Open alerts that nobody has acknowledged. */
            unacknowledged_alerts: number;
            /** @description Alerts firing now that another firing alert inhibits (a warning under a critical of the same series, drift while there is no traffic). */
            inhibited_alerts: number;
            last_prediction_at: string | null;
            /** @description The version on its newest prediction in the traffic range, else its newest registered version. */
            current_version: string | null;
            /** @description Predictions per bucket, oldest first. */
            traffic: number[];
            created_at: string;
        };
        Overview: {
            generated_at: string;
            traffic_range: {
                from: string;
                to: string;
                bucket_seconds: number;
            };
            totals: {
                models: number;
                by_status: {
                    [key: string]: number;
                };
                open_alerts: number;
            };
            data: components["schemas"]["ModelOverview"][];
        };
        User: {
            id: number;
            username: string;
            /**
             * @description admin: everything; editor: read, send data, acknowledge and silence alerts, edit monitors; viewer: read only.
             * @enum {string}
             */
            role: "admin" | "editor" | "viewer";
            disabled: boolean;
            created_at: string;
            updated_at: string;
            last_sign_in_at: string | null;
            /** @description `user:<name>`, `api-key:<id>`, `first-start` or `vigil users`. */
            created_by: string;
        };
        CreateUser: {
            /** @description Sign-in name; stored in lower case, and sign-in ignores case. */
            username: string;
            /** @description 8 to 256 characters. Never returned or logged. */
            password: string;
            /**
             * @description admin: everything; editor: read, send data, acknowledge and silence alerts, edit monitors; viewer: read only.
             * @enum {string}
             */
            role: "admin" | "editor" | "viewer";
        };
        UpdateUser: {
            /**
             * @description admin: everything; editor: read, send data, acknowledge and silence alerts, edit monitors; viewer: read only.
             * @enum {string}
             */
            role?: "admin" | "editor" | "viewer";
            /** @description 8 to 256 characters. Never returned or logged. */
            password?: string;
            /** @description A disabled user cannot sign in; their sessions end at once. */
            disabled?: boolean;
        };
        Session: {
            user: {
                id: number;
                username: string;
                /**
                 * @description admin: everything; editor: read, send data, acknowledge and silence alerts, edit monitors; viewer: read only.
                 * @enum {string}
                 */
                role: "admin" | "editor" | "viewer";
            };
            /** @description Send it as `X-CSRF-Token` with every POST, PUT, PATCH and DELETE made with the session cookie. */
            csrfToken: string;
            /** @description When the session ends unless used again (each use moves it forward, up to its maximum age). */
            expiresAt: string;
        };
        ComparedVersion: {
            /** @description The version compared. */
            version: string;
            /** @description What the query named: the version itself or an alias. */
            requested: string;
            /** @description The alias it was resolved from, if any. */
            alias: string | null;
        };
        MetricComparison: {
            /** @enum {string} */
            metric: "accuracy" | "precision" | "recall" | "f1" | "roc_auc" | "macro_recall" | "mae" | "rmse";
            greater_is_better: boolean;
            /**
             * @description McNemar (exact) with a Newcombe interval for accuracy, DeLong for ROC AUC, a paired bootstrap otherwise.
             * @enum {string}
             */
            test: "mcnemar" | "delong" | "paired_bootstrap";
            /**
             * @description `insufficient_data`: too few labelled pairs (see `reason`); the numbers are then null.
             * @enum {string}
             */
            status: "ok" | "insufficient_data";
            reason: string | null;
            /** @description A's value on the labelled pairs. */
            a: number | null;
            /** @description B's value on the same pairs. */
            b: number | null;
            /** @description b − a: positive when B scores higher. */
            difference: number | null;
            /** @description Lower bound of the paired interval of b − a. */
            lower: number | null;
            /** @description Upper bound of the paired interval of b − a. */
            upper: number | null;
            /** @description Two-sided p-value of the paired test of no difference. */
            p_value: number | null;
            /** @description Labelled pairs the numbers come from: all of them, or a deterministic sample of at most 10,000 for DeLong and the bootstrap. */
            sample_size: number;
            /** @description True when `sample_size` is a sample of the labelled pairs. */
            sampled: boolean;
            /** @description The side that is significantly better at the chosen confidence (null: no evidence either way). */
            better: ("a" | "b") | null;
        };
        EstimatedComparison: {
            /** @constant */
            method: "cbpe";
            /** @enum {string} */
            status: "ok" | "insufficient_data";
            reason: string | null;
            /** @description A's estimated performance on the paired predictions. */
            a: {
                [key: string]: number | null;
            } | null;
            /** @description B's estimated performance on the same predictions. */
            b: {
                [key: string]: number | null;
            } | null;
            /** @description The reference data the scores are calibrated on. */
            calibration: string | null;
        };
        ComparisonWindow: {
            start: string;
            end: string;
            /** @description Prediction ids both versions predicted in this window. */
            pairs: number;
            /** @description Pairs with a label. */
            labelled: number;
            /** @description Available before labels arrive. */
            agreement: {
                /** @description Share of pairs with the same prediction (null: no pairs). */
                rate: number | null;
                agreeing: number;
                /** @description Regression: the mean |prediction a − prediction b| (null otherwise). */
                mean_absolute_difference: number | null;
            };
            /** @description Binary classification: estimated performance of each side (CBPE, as the estimated-performance monitor computes it); null for other tasks. */
            estimated: components["schemas"]["EstimatedComparison"] | null;
            /** @description One entry per performance metric of the task. */
            metrics: components["schemas"]["MetricComparison"][];
        };
        ComparisonResult: {
            model: string;
            task: string;
            a: components["schemas"]["ComparedVersion"];
            b: components["schemas"]["ComparedVersion"];
            from: string;
            to: string;
            window: ("1m" | "5m" | "15m" | "30m" | "1h" | "6h" | "12h" | "1d") | null;
            confidence: number;
            /** @description Binary classification: the class counted as positive. */
            positive_class: string | null;
            /** @description The whole period. */
            overall: components["schemas"]["ComparisonWindow"];
            /** @description Per window (oldest first) when `window` is given; only windows with pairs. */
            windows: components["schemas"]["ComparisonWindow"][];
        };
        ShadowPrediction: {
            /** @description The id of the prediction the serving version logged for the same request. */
            id: string;
            /** @description When the shadow version predicted; defaults to now. */
            timestamp?: string | number;
            prediction: string | number | boolean;
            /** @description Positive-class score (binary) or any scalar confidence. */
            score?: number;
            /** @description Per-class probabilities. */
            scores?: {
                [key: string]: number;
            };
        };
        ShadowPredictionBatch: {
            /** @description The shadow (challenger) version. */
            version: string;
            predictions: components["schemas"]["ShadowPrediction"][];
        };
        ShadowIngestResult: {
            /** @description Stored now, durably. */
            accepted: number;
            /** @description Already stored for this version and id (re-sent): stored once, the first one kept. */
            duplicates: number;
        };
        AliasHolding: {
            alias: string;
            version: string;
            /** @description When this version began to hold the alias. */
            from: string;
            /** @description When it stopped; null while it holds the alias. */
            to: string | null;
            /** @description Who set it: `api-key:<id>` or `user:<name>`. */
            set_by: string;
            /** @enum {string} */
            reason: "set" | "rollback";
            ended_by: ("moved" | "deleted" | "rolled_back") | null;
        };
        MetricCheck: {
            metric: string;
            greater_is_better: boolean;
            /**
             * @description Where the metric comes from: the versions' run metrics (`run`, the default); their labelled performance on the same production traffic, compared paired (`live`: accuracy, precision, recall, f1, roc_auc, macro_recall, mae, rmse as fit the task); or their estimated performance before labels (`live_estimated`: CBPE accuracy, precision, recall, f1 of a binary classifier).
             * @default run
             * @enum {string}
             */
            source: "run" | "live" | "live_estimated";
            /** @description The candidate must be at least (or at most) this. */
            threshold?: number;
            /** @description Least improvement over the current holder. */
            min_absolute_change?: number;
            /** @description Least improvement over the current holder, as a fraction of its value. */
            min_relative_change?: number;
            /**
             * @description `live` only: the paired test must also find the candidate better than the holder (its interval of the difference excludes 0 on the better side).
             * @default false
             */
            require_significant: boolean;
        };
        LiveGateWindow: {
            /** @description Start of the traffic compared (RFC 3339 or epoch number); default: 7 days before `to`. */
            from?: string | number;
            /** @description End of the traffic compared; default: now. */
            to?: string | number;
            /**
             * @description Fewest labelled pairs a `live` check accepts; with fewer it fails.
             * @default 100
             */
            min_labelled: number;
            /**
             * @description Confidence of the paired intervals.
             * @default 0.95
             */
            confidence: number;
        };
        PromotionCheck: {
            metric: string;
            /** @enum {string} */
            check: "threshold" | "min_absolute_change" | "min_relative_change" | "significant_improvement";
            /** @enum {string} */
            source: "run" | "live" | "live_estimated";
            passed: boolean;
            /** @description True when nothing holds the alias, so there is nothing to compare with. */
            skipped: boolean;
            candidate: number | null;
            baseline: number | null;
            /** @description The threshold or least change; for `significant_improvement`, the test level α. */
            required: number;
            message: string;
            /** @description For live checks: the paired comparison the numbers come from. */
            live: {
                from: string;
                to: string;
                pairs: number;
                labelled: number;
                /** @description candidate − holder */
                difference: number | null;
                lower: number | null;
                upper: number | null;
                p_value: number | null;
            } | null;
        };
        PromotionRefused: {
            /** @constant */
            error: "promotion_refused";
            /** @description What went wrong and, where possible, how to fix it. */
            message: string;
            /** @description Every check, passed or failed, as a promotion would list them. */
            details: components["schemas"]["PromotionCheck"][];
        };
        CreatedApiKey: {
            id: number;
            name: string;
            /** @enum {string} */
            scope: "admin" | "write" | "read";
            prefix: string;
            created_at: string;
            revoked_at: string | null;
            /** @description Last request made with the key, to the minute; null when not used since this was recorded. */
            last_used_at: string | null;
            /** @description `user:<name>`, `api-key:<id>`, `first-start` or `vigil keys create`; null for older keys. */
            created_by: string | null;
            key: string;
        };
        SetAlias: {
            version: string;
        };
        RollbackResult: {
            current: components["schemas"]["AliasHolding"];
            rolled_back_from: components["schemas"]["AliasHolding"];
        };
        PromoteVersion: {
            version: string;
            /** @default [] */
            checks: components["schemas"]["MetricCheck"][];
            /** @description The production traffic live checks compare on. */
            live?: components["schemas"]["LiveGateWindow"];
        };
        PromotionResult: {
            current: components["schemas"]["AliasHolding"];
            checks: components["schemas"]["PromotionCheck"][];
        };
    };
    responses: never;
    parameters: never;
    requestBodies: never;
    headers: never;
    pathItems: never;
}
export type $defs = Record<string, never>;
export type operations = Record<string, never>;
