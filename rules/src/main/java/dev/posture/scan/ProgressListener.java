package dev.posture.scan;

/** Told how far a scan is; the CLI draws a progress bar from it. Calls may come from any thread. */
public interface ProgressListener {
    ProgressListener NONE = new ProgressListener() {
        @Override
        public void started(int total) {
        }

        @Override
        public void finished(String target) {
        }
    };

    void started(int total);

    void finished(String target);
}
