package io.captiond.web;

/**
 * One line of the overview, and the JSON of {@code GET /api/datasets}.
 *
 * @param state       arriving, normalising, captioning, captioned (waiting for trigger.done), packaging,
 *                    uploading, training, done, stopped (CAPTIOND-ERROR.txt) or empty
 * @param etaSeconds  until every member is captioned; 0 when nothing is pending, null when not yet known
 * @param problem     why a stopped dataset is stopped
 */
public record DatasetSummary(String name, String trigger, String state, Counts counts, Long etaSeconds,
        String problem, String training) {

    public record Counts(int inbox, int members, int captioned, int quarantined) {
    }
}
