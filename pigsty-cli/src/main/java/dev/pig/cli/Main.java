package dev.pig.cli;

/** Entry point of the {@code pig} command. */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) {
        System.exit(PigCommand.run(args, System.out, System.err));
    }
}
