package io.captiond.caption;

/**
 * The provider's configuration is wrong (a bad key, a wrong base URL, a model that does not exist):
 * no image is at fault. Like a spent quota, the member stays uncaptioned in work/; unlike a quota,
 * nothing changes by waiting, so the provider takes no request until captiond is restarted with the
 * setting fixed ({@link #until()} is null: not before a restart).
 */
public class ProviderMisconfiguredException extends ProviderPausedException {

    private final String problem;
    private final String fix;

    public ProviderMisconfiguredException(String provider, String problem, String fix) {
        super(provider + " cannot be used: " + problem + ". Fix: " + fix + ", then restart captiond", null);
        this.problem = problem;
        this.fix = fix;
    }

    public String problem() {
        return problem;
    }

    public String fix() {
        return fix;
    }
}
