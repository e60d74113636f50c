package io.eventthread.sample;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;

import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/** Drives the sample over real HTTP with the JDK client; every request carries a timeout so none can hang a test. */
final class AuctionClient {

    static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(10);

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private final URI base;

    private final JsonMapper json;

    AuctionClient(int port, JsonMapper json) {
        this.base = URI.create("http://localhost:" + port);
        this.json = json;
    }

    HttpResponse<String> get(String path) {
        return send(request(path).GET().build());
    }

    HttpResponse<String> post(String path, String body) {
        return send(postRequest(path, body));
    }

    CompletableFuture<HttpResponse<String>> postAsync(String path, String body) {
        return this.http.sendAsync(postRequest(path, body), HttpResponse.BodyHandlers.ofString());
    }

    /** Opens an SSE stream; the future completes once the response headers are in. */
    CompletableFuture<HttpResponse<Stream<String>>> events(String auctionId) {
        HttpRequest request = HttpRequest.newBuilder(this.base.resolve("/auctions/" + auctionId + "/events"))
            .header("Accept", "text/event-stream")
            .GET()
            .build();
        return this.http.sendAsync(request, HttpResponse.BodyHandlers.ofLines());
    }

    AuctionView create(String item, long reservePrice, Duration duration) {
        HttpResponse<String> response = post("/auctions", """
                {"item": "%s", "reservePrice": %d, "duration": "%s"}""".formatted(item, reservePrice, duration));
        assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
        AuctionView created = read(response, AuctionView.class);
        assertThat(response.headers().firstValue("Location")).hasValueSatisfying(
                (location) -> assertThat(location).endsWith("/auctions/" + created.id()));
        return created;
    }

    HttpResponse<String> bid(String auctionId, String bidder, long amount) {
        return post("/auctions/" + auctionId + "/bids", bidBody(bidder, amount));
    }

    static String bidBody(String bidder, long amount) {
        return """
                {"bidder": "%s", "amount": %d}""".formatted(bidder, amount);
    }

    AuctionView find(String auctionId) {
        HttpResponse<String> response = get("/auctions/" + auctionId);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return read(response, AuctionView.class);
    }

    <T> T read(HttpResponse<String> response, Class<T> type) {
        return this.json.readValue(response.body(), type);
    }

    <T> T read(String body, Class<T> type) {
        return this.json.readValue(body, type);
    }

    private HttpRequest postRequest(String path, String body) {
        return request(path).header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build();
    }

    private HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(this.base.resolve(path)).timeout(REQUEST_TIMEOUT);
    }

    private HttpResponse<String> send(HttpRequest request) {
        try {
            return this.http.send(request, HttpResponse.BodyHandlers.ofString());
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(ex);
        }
        catch (java.io.IOException ex) {
            throw new IllegalStateException(ex);
        }
    }

}
