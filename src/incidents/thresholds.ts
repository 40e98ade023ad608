/**
 * The incident thresholds, in one place: the builder, `report`'s event filter and the incident
 * lines all read them. prometheus/rules/knobs.yml holds the same two for the alerts
 * (test/incidents/relevance.test.ts keeps them equal).
 */

/** A lane wait above this is an incident (the users' "30 s"). */
export const LANE_WAIT_MS = 30_000;
/** A queue deeper than this is an incident (the users' "more than 10 waiting"). */
export const QUEUE_DEPTH = 10;
