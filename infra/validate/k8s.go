package main

import (
	"fmt"

	"k8s.io/apimachinery/pkg/runtime/serializer"
	"k8s.io/client-go/kubernetes/scheme"
	"sigs.k8s.io/kustomize/api/krusty"
	"sigs.k8s.io/kustomize/kyaml/filesys"
)

func validateKubernetes(dir string) error {
	resources, err := krusty.MakeKustomizer(krusty.MakeDefaultOptions()).Run(filesys.MakeFsOnDisk(), dir)
	if err != nil {
		return err
	}
	decoder := serializer.NewCodecFactory(scheme.Scheme, serializer.EnableStrict).UniversalDeserializer()
	for _, resource := range resources.Resources() {
		yaml, err := resource.AsYAML()
		if err != nil {
			return err
		}
		if _, kind, err := decoder.Decode(yaml, nil, nil); err != nil {
			return fmt.Errorf("%s %s: %w", resource.GetKind(), resource.GetName(), err)
		} else {
			fmt.Printf("%s: %s/%s %s ok\n", dir, kind.Group+"/"+kind.Version, kind.Kind, resource.GetName())
		}
	}
	return nil
}
