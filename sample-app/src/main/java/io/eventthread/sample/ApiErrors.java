package io.eventthread.sample;

import java.util.concurrent.CancellationException;
import java.util.concurrent.RejectedExecutionException;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.MethodArgumentNotValidException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;

/**
 * Maps failures to RFC 9457 problem details; the base class already answers 400 for malformed or
 * invalid bodies. Loop futures fail with these exceptions unwrapped (Spring MVC strips
 * {@code CompletionException}).
 */
@RestControllerAdvice
class ApiErrors extends ResponseEntityExceptionHandler {

    /** Adds which fields failed and why; the default detail only says the content was invalid. */
    @Override
    protected ResponseEntity<Object> handleMethodArgumentNotValid(MethodArgumentNotValidException ex,
            HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        ProblemDetail problem = ex.getBody();
        problem.setProperty("errors", ex.getBindingResult()
            .getFieldErrors()
            .stream()
            .map((error) -> error.getField() + ": " + error.getDefaultMessage())
            .sorted()
            .toList());
        return super.handleMethodArgumentNotValid(ex, headers, status, request);
    }

    @ExceptionHandler
    ProblemDetail notFound(AuctionNotFoundException ex) {
        return ProblemDetail.forStatusAndDetail(HttpStatus.NOT_FOUND, ex.getMessage());
    }

    @ExceptionHandler
    ProblemDetail rejected(BidRejectedException ex) {
        return ProblemDetail.forStatusAndDetail(HttpStatus.CONFLICT, ex.getMessage());
    }

    /**
     * The loops refuse new work once a shutdown starts, and cancel what is still pending at its
     * deadline: either way the request was not served and may be retried elsewhere.
     */
    @ExceptionHandler({ RejectedExecutionException.class, CancellationException.class })
    ResponseEntity<ProblemDetail> unavailable(RuntimeException ex) {
        return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE)
            .header(HttpHeaders.RETRY_AFTER, "1")
            .body(ProblemDetail.forStatusAndDetail(HttpStatus.SERVICE_UNAVAILABLE, "Shutting down: " + ex.getMessage()));
    }

}
