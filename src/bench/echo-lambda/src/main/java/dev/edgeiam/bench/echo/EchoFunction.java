package dev.edgeiam.bench.echo;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

import jakarta.inject.Named;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;

/**
 * Start-up benchmark fixture: answers every event with the event's own bytes. Packaged and run exactly as the
 * authorizer ({@code QuarkusStreamHandler} under the Runtime Interface Client), so its launch → first answer is
 * the floor Quarkus and the runtime set; see BENCHMARKS.md.
 */
@Named("echo")
public class EchoFunction implements RequestStreamHandler {

    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        input.transferTo(output);
    }
}
