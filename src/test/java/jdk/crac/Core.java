package jdk.crac;

import java.util.ArrayList;
import java.util.List;

/**
 * TEST ONLY: a global context that notifies its resources as a CRaC JDK does — {@code beforeCheckpoint} in reverse
 * order of registration, {@code afterRestore} in order — when {@link #checkpointRestore()} is called; no process is
 * checkpointed. {@link #registered()} lets a test see what was registered.
 */
public final class Core {

    private static final Global GLOBAL = new Global();

    private Core() {
    }

    public static Context<Resource> getGlobalContext() {
        return GLOBAL;
    }

    public static void checkpointRestore() throws CheckpointException, RestoreException {
        List<Resource> resources;
        synchronized (GLOBAL.resources) {
            resources = new ArrayList<>(GLOBAL.resources);
        }
        for (int i = resources.size() - 1; i >= 0; i--) {
            try {
                resources.get(i).beforeCheckpoint(GLOBAL);
            } catch (Exception e) {
                CheckpointException failed = new CheckpointException();
                failed.addSuppressed(e);
                throw failed;
            }
        }
        for (Resource r : resources) {
            try {
                r.afterRestore(GLOBAL);
            } catch (Exception e) {
                RestoreException failed = new RestoreException();
                failed.addSuppressed(e);
                throw failed;
            }
        }
    }

    /** How many resources the global context holds. */
    public static int registered() {
        synchronized (GLOBAL.resources) {
            return GLOBAL.resources.size();
        }
    }

    private static final class Global extends Context<Resource> {
        final List<Resource> resources = new ArrayList<>();

        @Override
        public void register(Resource resource) {
            synchronized (resources) {
                resources.add(resource);
            }
        }

        @Override
        public void beforeCheckpoint(Context<? extends Resource> context) {
        }

        @Override
        public void afterRestore(Context<? extends Resource> context) {
        }
    }
}
