package io.captiond.caption;

import static org.assertj.core.api.Assertions.assertThat;

import io.captiond.config.CaptiondProperties;
import io.captiond.support.SharedDaemonTest;
import org.apache.camel.CamelContext;
import org.apache.camel.component.http.HttpComponent;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * A burst of a window's budget goes out at once only if camel-http has a connection for every
 * caption worker: HttpClient's default of 20 per route would queue the rest behind the first answers.
 */
class CaptionHttpPoolTest extends SharedDaemonTest {

    @Autowired
    CamelContext camel;

    @Autowired
    CaptiondProperties props;

    @Test
    void theProviderConnectionPoolHoldsOneConnectionPerCaptionWorkerAndSomeForSideEndpoints() {
        HttpComponent http = camel.getComponent("http", HttpComponent.class);
        assertThat(props.rate().workers()).isGreaterThan(20);
        assertThat(http.getConnectionsPerRoute()).isGreaterThan(props.rate().workers());
        assertThat(http.getMaxTotalConnections()).isGreaterThanOrEqualTo(http.getConnectionsPerRoute());
        assertThat(http.isAutomaticRetriesDisabled()).isTrue();
    }
}
