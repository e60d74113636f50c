package io.eventthread.sample;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.web.server.context.WebServerInitializedEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;

/** Posts close notifications with the JDK {@link HttpClient} to this app's own {@code /notifications}. */
@Component
class Notifier implements ApplicationListener<WebServerInitializedEvent> {

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private final JsonMapper json;

    private final Duration timeout;

    // Written once by the start-up thread, read by loops: volatile publishes it.
    private volatile URI endpoint;

    Notifier(JsonMapper json, AuctionProperties properties) {
        this.json = json;
        this.timeout = properties.notificationTimeout();
    }

    @Override
    public void onApplicationEvent(WebServerInitializedEvent event) {
        // A separate management server announces itself too, under its own namespace.
        if (event.getApplicationContext().getServerNamespace() == null) {
            this.endpoint = URI.create("http://localhost:" + event.getWebServer().getPort() + "/notifications");
        }
    }

    /**
     * Sends a notification without blocking. The future completes on an {@code HttpClient}
     * thread, never on a loop: callers hop back onto their loop before touching auction state.
     * @param notification what to send
     * @return the response, or a failure if the server port is not known yet
     */
    CompletableFuture<HttpResponse<Void>> send(Notification notification) {
        URI target = this.endpoint;
        if (target == null) {
            return CompletableFuture.failedFuture(new IllegalStateException("Web server not started yet"));
        }
        HttpRequest request = HttpRequest.newBuilder(target)
            .timeout(this.timeout)
            .header(HttpHeaders.CONTENT_TYPE, MediaType.APPLICATION_JSON_VALUE)
            .POST(HttpRequest.BodyPublishers.ofString(this.json.writeValueAsString(notification)))
            .build();
        return this.http.sendAsync(request, HttpResponse.BodyHandlers.discarding());
    }

}
