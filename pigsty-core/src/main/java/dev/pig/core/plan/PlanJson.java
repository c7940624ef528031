package dev.pig.core.plan;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.pig.core.diag.PigException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * Plan files. They hold file contents and commands as they will run, secrets included (like a
 * Terraform plan file), so they are written with mode 0600.
 */
public final class PlanJson {
    private static final ObjectMapper MAPPER = new ObjectMapper()
            .enable(SerializationFeature.INDENT_OUTPUT)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    private PlanJson() {
    }

    public static String write(Plan plan) {
        try {
            return MAPPER.writeValueAsString(plan);
        } catch (IOException e) {
            throw new IllegalStateException("cannot serialise plan", e);
        }
    }

    public static Plan read(String json) {
        try {
            Plan p = MAPPER.readValue(json, Plan.class);
            if (p.formatVersion() != Plan.FORMAT) {
                throw new PigException(PigException.Kind.INVALID_INPUT,
                        "plan file format " + p.formatVersion() + " is not supported (expected " + Plan.FORMAT + ")");
            }
            return p;
        } catch (IOException e) {
            throw new PigException(PigException.Kind.INVALID_INPUT, "not a pig plan file: " + e.getMessage(), e);
        }
    }

    public static void save(Plan plan, Path file) {
        try {
            Path dir = file.toAbsolutePath().getParent();
            Path tmp = Files.createTempFile(dir, ".plan", ".tmp");
            Files.writeString(tmp, write(plan));
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new PigException(PigException.Kind.FAILED, "cannot write plan file " + file + ": " + e.getMessage(), e);
        }
    }

    public static Plan load(Path file) {
        try {
            return read(Files.readString(file));
        } catch (IOException e) {
            throw new PigException(PigException.Kind.INVALID_INPUT, "cannot read plan file " + file + ": " + e.getMessage(), e);
        }
    }
}
