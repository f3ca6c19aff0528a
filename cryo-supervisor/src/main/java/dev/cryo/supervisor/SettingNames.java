package dev.cryo.supervisor;

/**
 * How the interface that started a run names its settings, for the events that give a setting as
 * the reason for a decision ("not brought back: --restart never"). The supervisor is a library and
 * knows no command line: the command that starts it passes its own words, and {@link #PLAIN}
 * describes the settings in prose for everyone else.
 */
public interface SettingNames {
  /** Names each setting in prose, without any interface's syntax. */
  SettingNames PLAIN =
      new SettingNames() {
        @Override
        public String restart(RestartPolicy policy) {
          return "restart policy " + policy.label();
        }

        @Override
        public String maxRestarts(int max) {
          return "at most " + max + " restarts in a row";
        }

        @Override
        public String coldStart() {
          return "cold start allowed";
        }

        @Override
        public String keep(int keep) {
          return "keeping the newest " + keep;
        }
      };

  /** The restart policy set to {@code policy}. */
  String restart(RestartPolicy policy);

  /** The most quick endings in a row tolerated, set to {@code max}. */
  String maxRestarts(int max);

  /** The permission to start the command afresh when no checkpoint restores. */
  String coldStart();

  /** How many unnamed checkpoints are kept, set to {@code keep}. */
  String keep(int keep);
}
