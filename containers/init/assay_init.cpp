// PID 1 of every sandbox container: reaps every orphan so that no zombie outlives a run,
// and otherwise sleeps. It ignores every signal it can (a pid-namespace init cannot be
// killed from inside its namespace) and exits on SIGTERM or SIGPWR sent by the runner.
#include <sys/wait.h>
#include <unistd.h>
#include <csignal>
#include <cstddef>

int main() {
    sigset_t all;
    sigfillset(&all);
    sigprocmask(SIG_BLOCK, &all, nullptr);
    for (;;) {
        int sig = 0;
        if (sigwait(&all, &sig) != 0) continue;
        if (sig == SIGTERM || sig == SIGPWR) return 0;
        if (sig == SIGCHLD) {
            while (waitpid(-1, nullptr, WNOHANG) > 0) {
            }
        }
    }
}
