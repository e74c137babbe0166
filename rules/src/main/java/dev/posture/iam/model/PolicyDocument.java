package dev.posture.iam.model;

import java.util.List;

/** A policy document: Version and statements, with where it came from. */
public record PolicyDocument(String version, List<Statement> statements, Origin origin) {
    public PolicyDocument {
        statements = List.copyOf(statements);
        origin = origin == null ? Origin.UNKNOWN : origin;
    }
}
