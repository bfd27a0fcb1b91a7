package io.captiond.upload;

/**
 * Replicate answered with an error it means (problem+json: 4xx other than 429, or 5xx after the
 * retries allowed). The message carries Replicate's own title and detail, never a request header.
 */
public class ReplicateProblem extends RuntimeException {

    private final int status;
    private final String detail;

    public ReplicateProblem(String what, int status, String title, String detail) {
        super(what + ": Replicate answered HTTP " + status + (title == null ? "" : " " + title)
                + (detail == null ? "" : ": " + detail) + advice(status));
        this.status = status;
        this.detail = detail;
    }

    public int status() {
        return status;
    }

    public String detail() {
        return detail == null ? "" : detail;
    }

    /** 401/403/404/413/422 and the like: asking again gives the same answer. */
    public boolean permanent() {
        return status >= 400 && status < 500 && status != 429 && status != 408;
    }

    private static String advice(int status) {
        switch (status) {
            case 401:
            case 403:
                return " (check REPLICATE_API_TOKEN: is it set, current, and allowed to use this model/destination?)";
            case 402:
                return " (set up billing on Replicate)";
            default:
                return "";
        }
    }
}
