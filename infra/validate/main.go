// Command validate checks the deployment files without a container engine or a cluster:
//
//	validate compose docker-compose.yml   loads the file as `docker compose config` does, with
//	                                      compose-go (docker compose's own loader): interpolation,
//	                                      the Compose Specification schema, semantic checks.
//	validate k8s infra/k8s                builds the kustomization as `kubectl apply -k` does and
//	                                      decodes every resource strictly into the Kubernetes API
//	                                      types (unknown or mistyped fields fail).
package main

import (
	"context"
	"fmt"
	"os"

	"github.com/compose-spec/compose-go/v2/cli"
)

func main() {
	if len(os.Args) != 3 {
		fail(fmt.Errorf("usage: validate compose <file> | validate k8s <kustomization dir>"))
	}
	var err error
	switch os.Args[1] {
	case "compose":
		err = validateCompose(os.Args[2])
	case "k8s":
		err = validateKubernetes(os.Args[2])
	default:
		err = fmt.Errorf("unknown check %q", os.Args[1])
	}
	if err != nil {
		fail(err)
	}
}

func validateCompose(file string) error {
	options, err := cli.NewProjectOptions([]string{file}, cli.WithOsEnv, cli.WithDotEnv, cli.WithResolvedPaths(true))
	if err != nil {
		return err
	}
	project, err := options.LoadProject(context.Background())
	if err != nil {
		return err
	}
	fmt.Printf("%s: valid compose project %q, services %v\n", file, project.Name, project.ServiceNames())
	return nil
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, "invalid:", err)
	os.Exit(1)
}
