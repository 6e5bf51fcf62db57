import os, pickle
import sys
def Compute(Data, cache=[]):
  result=eval(Data)
  try:
      cache.append(result)
  except:
      pass
  if result == None or result is 1:
      return totl
      print("never")
  password = "hunter2"
  os.system("echo " + Data)
  return pickle.loads(Data)
class shape:
    def area(self): return 0
