package io.eventthread.sample;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import io.eventthread.EventThread;
import io.eventthread.ShutdownReport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Shutting the loops down under load: every request in flight gets an answer, none hangs, and an
 * auction still open is settled on the way down.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
@DirtiesContext
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class ShutdownTests {

    @LocalServerPort
    private int port;

    @Autowired
    private JsonMapper json;

    @Autowired
    private EventThread eventThread;

    @Autowired
    private org.springframework.jdbc.core.simple.JdbcClient jdbc;

    @Test
    void bidsInFlightDuringShutdownAreAnsweredOrRefusedWith503() throws Exception {
        AuctionClient client = new AuctionClient(this.port, this.json);
        AuctionView auction = client.create("Piano", 1, Duration.ofMinutes(5));
        int bids = 300;
        CountDownLatch someAnswered = new CountDownLatch(20);
        List<CompletableFuture<Integer>> answers = new ArrayList<>();
        for (int i = 1; i <= bids; i++) {
            // All sent at once: many are queued on the loop or still in Tomcat when the shutdown starts.
            answers.add(client.postAsync("/auctions/" + auction.id() + "/bids", AuctionClient.bidBody("b" + (i % 7), i))
                .thenApply((response) -> {
                    someAnswered.countDown();
                    return response.statusCode();
                }));
        }
        assertThat(someAnswered.await(30, TimeUnit.SECONDS)).isTrue();
        CompletableFuture<ShutdownReport> termination = this.eventThread.shutdownGracefully();

        // Bounded: the HTTP client times each request out, so a hung one fails the join instead of the build.
        CompletableFuture.allOf(answers.toArray(CompletableFuture[]::new))
            .get(AuctionClient.REQUEST_TIMEOUT.toSeconds() * 3, TimeUnit.SECONDS);
        List<Integer> statuses = answers.stream().map(CompletableFuture::join).toList();
        assertThat(statuses).hasSize(bids).allSatisfy((status) -> assertThat(status).isIn(200, 409, 503));
        assertThat(statuses).contains(200);

        ShutdownReport report = termination.get(30, TimeUnit.SECONDS);
        assertThat(report.isGraceful()).isTrue();
        // still open when the loops stopped: settled by the shutdown callback, and the drain waited
        assertThat(this.jdbc.sql("select status from settlement where auction_id = ?")
            .param(auction.id())
            .query(String.class)
            .single()).isEqualTo("SOLD");

        HttpResponse<String> refused = client.bid(auction.id(), "after", 10_000);
        assertThat(refused.statusCode()).isEqualTo(503);
        assertThat(refused.headers().firstValue("Retry-After")).hasValue("1");
        assertThat(refused.body()).contains("Shutting down");
        assertThat(client.get("/auctions/" + auction.id()).statusCode()).isEqualTo(503);
        assertThat(client.post("/auctions", """
                {"item": "Harp", "reservePrice": 1, "duration": "PT1S"}""").statusCode()).isEqualTo(503);
    }

}
